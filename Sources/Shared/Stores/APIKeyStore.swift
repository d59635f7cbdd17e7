import Foundation
import Logging
import PostgresNIO

/// API keys in PostgreSQL, stored only as SHA-256 hashes.
public struct APIKeyStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// A store over `client`.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    private static let columns = "id, tenant_id, name, prefix, requests_per_minute, last_used_at, revoked_at, created_at"

    private func decode(_ rows: PostgresRowSequence) async throws -> [APIKey] {
        var keys: [APIKey] = []
        for try await (id, tenantId, name, prefix, rate, lastUsed, revoked, created) in rows.decode(
            (UUID, UUID, String, String, Int, Date?, Date?, Date).self
        ) {
            keys.append(
                APIKey(
                    id: id,
                    tenantId: tenantId,
                    name: name,
                    prefix: prefix,
                    requestsPerMinute: rate,
                    lastUsedAt: lastUsed,
                    revokedAt: revoked,
                    createdAt: created
                )
            )
        }
        return keys
    }

    /// Creates a key for `tenantId`; the returned plaintext key is never stored and cannot be shown again.
    public func create(tenantId: UUID, name: String, requestsPerMinute: Int = 1200) async throws -> (key: String, record: APIKey) {
        let (key, prefix) = APIKey.generate()
        let hash = ByteBuffer(bytes: APIKey.hash(key))
        return try await client.translatingErrors(entity: "API key") {
            let rows = try await client.query(
                """
                INSERT INTO api_keys (tenant_id, name, prefix, key_hash, requests_per_minute)
                VALUES (\(tenantId), \(name), \(prefix), \(hash), \(requestsPerMinute))
                RETURNING \(unescaped: Self.columns)
                """,
                logger: logger
            )
            guard let record = try await decode(rows).first else { throw StoreError.conflict("API key was not created") }
            return (key, record)
        }
    }

    /// The tenant's keys (all tenants when nil), newest first.
    public func list(tenantId: UUID?) async throws -> [APIKey] {
        if let tenantId {
            return try await decode(
                client.query(
                    "SELECT \(unescaped: Self.columns) FROM api_keys WHERE tenant_id = \(tenantId) ORDER BY created_at DESC",
                    logger: logger
                )
            )
        }
        return try await decode(client.query("SELECT \(unescaped: Self.columns) FROM api_keys ORDER BY created_at DESC", logger: logger))
    }

    /// Revokes the key with this id or prefix; revoked keys stop authenticating at once.
    public func revoke(_ reference: String, tenantId: UUID? = nil) async throws -> APIKey {
        let id = UUID(uuidString: reference)
        let rows = try await client.query(
            """
            UPDATE api_keys SET revoked_at = coalesce(revoked_at, now())
            WHERE (id = \(id) OR prefix = \(reference)) AND (\(tenantId)::uuid IS NULL OR tenant_id = \(tenantId))
            RETURNING \(unescaped: Self.columns)
            """,
            logger: logger
        )
        guard let key = try await decode(rows).first else { throw StoreError.notFound(kind: "API key", reference: reference) }
        return key
    }

    /// The active key matching a presented plaintext key, or nil. The lookup is by hash, so the
    /// comparison of secrets happens inside PostgreSQL's index on a fixed-length digest. Every API
    /// request runs it: it ends at the time limit with ``DatabaseUnavailable`` when PostgreSQL does
    /// not answer (``PostgresClient/readWithinTimeLimit(_:)``).
    public func authenticate(_ presented: String) async throws -> APIKey? {
        guard APIKey.prefix(of: presented) != nil else { return nil }
        let hash = ByteBuffer(bytes: APIKey.hash(presented))
        let query: PostgresQuery = """
            SELECT \(unescaped: Self.columns) FROM api_keys WHERE key_hash = \(hash) AND revoked_at IS NULL
            """
        return try await client.readWithinTimeLimit { [self] connection in
            try await decode(connection.query(query, logger: logger)).first
        }
    }
}
