import Foundation
import Logging
import PostgresNIO

/// Who did what, when: sign-ins, configuration changes, retries, key creation. Entries are
/// written by the dashboard and `leadctl`, read on the dashboard's audit page.
public struct AuditLog: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// The audit log in `client`'s database.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// One entry.
    public struct Entry: Sendable, Hashable, Codable {
        public var id: Int64
        public var at: Date
        /// The user's email, `leadctl`, or `system`.
        public var actor: String
        public var userId: UUID?
        public var tenantId: UUID?
        /// Dotted verb, e.g. `auth.login`, `deliveries.retry`, `destination.update`.
        public var action: String
        public var targetType: String?
        public var targetId: String?
        /// The entry's details as JSON text.
        public var details: String
        public var ip: String?

        enum CodingKeys: String, CodingKey {
            case id, at, actor, action, details, ip
            case userId = "user_id"
            case tenantId = "tenant_id"
            case targetType = "target_type"
            case targetId = "target_id"
        }
    }

    /// Records an entry; `details` must be a JSON object (text).
    public func record(
        actor: String,
        userId: UUID? = nil,
        tenantId: UUID? = nil,
        action: String,
        targetType: String? = nil,
        targetId: String? = nil,
        details: String = "{}",
        ip: String? = nil
    ) async throws {
        try await client.query(
            """
            INSERT INTO audit_log (actor, user_id, tenant_id, action, target_type, target_id, details, ip)
            VALUES (\(actor), \(userId), \(tenantId), \(action), \(targetType), \(targetId), \(details)::jsonb,
                    CASE WHEN \(ip)::text ~ '^[0-9a-fA-F:.]+$' THEN \(ip)::inet END)
            """,
            logger: logger
        )
    }

    /// Entries, newest first, before entry id `before` when given; only `tenantId`'s when given.
    public func list(tenantId: UUID? = nil, action: String? = nil, before: Int64? = nil, limit: Int = 100) async throws -> [Entry] {
        let rows = try await client.query(
            """
            SELECT id, at, actor, user_id, tenant_id, action, target_type, target_id, details::text, host(ip)
            FROM audit_log
            WHERE (\(tenantId)::uuid IS NULL OR tenant_id = \(tenantId))
              AND (\(action)::text IS NULL OR action LIKE \(action) || '%')
              AND (\(before)::bigint IS NULL OR id < \(before))
            ORDER BY id DESC LIMIT \(limit)
            """,
            logger: logger
        )
        var entries: [Entry] = []
        for try await (id, at, actor, userId, tenantId, action, targetType, targetId, details, ip) in rows.decode(
            (Int64, Date, String, UUID?, UUID?, String, String?, String?, String, String?).self
        ) {
            entries.append(
                Entry(
                    id: id,
                    at: at,
                    actor: actor,
                    userId: userId,
                    tenantId: tenantId,
                    action: action,
                    targetType: targetType,
                    targetId: targetId,
                    details: details,
                    ip: ip
                )
            )
        }
        return entries
    }
}
