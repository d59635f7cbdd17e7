import Foundation
import Logging
import PostgresNIO

/// Destinations in PostgreSQL. Credentials go in sealed and never come back out through this
/// store's listing methods; only the delivery engine opens them (``sealedSecret(destinationId:)``).
public struct DestinationStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// A store over `client`.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    static let columns = """
        d.id, d.tenant_id, d.name, d.kind, d.config::text, d.base_url, d.account_key, d.rate_limit_requests,
        d.rate_limit_interval_ms, d.retry_schedule_seconds, d.max_attempts, d.timeout_ms,
        d.secret_ciphertext IS NOT NULL, d.enabled, d.dry_run, d.allow_private_network, d.created_at, d.suspended_at,
        d.suspended_reason
        """

    func decode(_ rows: PostgresRowSequence) async throws -> [Destination] {
        var destinations: [Destination] = []
        for try await row in rows {
            let (
                id, tenantId, name, kind, config, baseURL, account, rateRequests, rateInterval, schedule, maxAttempts,
                timeout, hasSecret, enabled, dryRun, allowPrivate, created, suspendedAt, suspendedReason
            ) = try row.decode(
                (UUID, UUID, String, String, String, String?, String, Int?, Int?, [Int]?, Int, Int, Bool, Bool, Bool, Bool, Date, Date?, String?)
                    .self
            )
            // A kind no adapter serves any more stays itself: its deliveries fail as misconfigured.
            destinations.append(
                Destination(
                    id: id,
                    tenantId: tenantId,
                    name: name,
                    kind: DestinationKind(rawValue: kind) ?? DestinationKind(declaring: kind),
                    config: JSONText.object(config),
                    baseURL: baseURL,
                    accountKey: account,
                    rateLimitRequests: rateRequests,
                    rateLimitIntervalMilliseconds: rateInterval,
                    retryScheduleSeconds: schedule,
                    maxAttempts: maxAttempts,
                    timeoutMilliseconds: timeout,
                    hasSecret: hasSecret,
                    enabled: enabled,
                    dryRun: dryRun,
                    allowPrivateNetwork: allowPrivate,
                    createdAt: created,
                    suspendedAt: suspendedAt,
                    suspendedReason: suspendedReason
                )
            )
        }
        return destinations
    }

    /// Creates a destination. `destination.id`, `createdAt` and `hasSecret` are ignored.
    public func create(_ destination: Destination, sealedSecret: [UInt8]?) async throws -> Destination {
        let secret = sealedSecret.map { ByteBuffer(bytes: $0) }
        return try await client.translatingErrors(entity: "destination") {
            let rows = try await client.query(
                """
                WITH inserted AS (
                    INSERT INTO destinations (tenant_id, name, kind, config, secret_ciphertext, base_url, account_key,
                        rate_limit_requests, rate_limit_interval_ms, retry_schedule_seconds, max_attempts, timeout_ms, enabled, dry_run,
                        allow_private_network)
                    VALUES (\(destination.tenantId), \(destination.name), \(destination.kind.rawValue),
                        \(JSONText.encode(destination.config))::jsonb, \(secret), \(destination.baseURL), \(destination.accountKey),
                        \(destination.rateLimitRequests), \(destination.rateLimitIntervalMilliseconds),
                        \(destination.retryScheduleSeconds), \(destination.maxAttempts), \(destination.timeoutMilliseconds),
                        \(destination.enabled), \(destination.dryRun), \(destination.allowPrivateNetwork))
                    RETURNING *)
                SELECT \(unescaped: Self.columns) FROM inserted d
                """,
                logger: logger
            )
            guard let created = try await decode(rows).first else { throw StoreError.conflict("destination was not created") }
            return created
        }
    }

    /// Saves every editable field; `sealedSecret` replaces the credential when given (and lifts a
    /// suspension: the new credential gets its chance).
    public func update(_ destination: Destination, sealedSecret: [UInt8]? = nil) async throws -> Destination {
        let secret = sealedSecret.map { ByteBuffer(bytes: $0) }
        return try await client.translatingErrors(entity: "destination") {
            let rows = try await client.query(
                """
                WITH updated AS (
                    UPDATE destinations SET name = \(destination.name), config = \(JSONText.encode(destination.config))::jsonb,
                        base_url = \(destination.baseURL), account_key = \(destination.accountKey),
                        rate_limit_requests = \(destination.rateLimitRequests),
                        rate_limit_interval_ms = \(destination.rateLimitIntervalMilliseconds),
                        retry_schedule_seconds = \(destination.retryScheduleSeconds), max_attempts = \(destination.maxAttempts),
                        timeout_ms = \(destination.timeoutMilliseconds), enabled = \(destination.enabled), dry_run = \(destination.dryRun),
                        allow_private_network = \(destination.allowPrivateNetwork),
                        secret_ciphertext = coalesce(\(secret), secret_ciphertext), updated_at = now(),
                        suspended_at = CASE WHEN \(secret)::bytea IS NULL THEN suspended_at END,
                        suspended_reason = CASE WHEN \(secret)::bytea IS NULL THEN suspended_reason END
                    WHERE id = \(destination.id) AND tenant_id = \(destination.tenantId)
                    RETURNING *)
                SELECT \(unescaped: Self.columns) FROM updated d
                """,
                logger: logger
            )
            guard let updated = try await decode(rows).first else {
                throw StoreError.notFound(kind: "destination", reference: destination.id.uuidString)
            }
            return updated
        }
    }

    /// Destinations of one tenant (all when nil), by name.
    public func list(tenantId: UUID?) async throws -> [Destination] {
        try await recordsByName(tenantId: tenantId)
    }

    /// The destination with this id or name, within `tenantId` when given.
    public func find(_ reference: String, tenantId: UUID?) async throws -> Destination {
        try await record(reference, tenantId: tenantId)
    }

    /// Suspends a destination whose provider refused its credential; its deliveries wait until
    /// ``update(_:sealedSecret:)`` stores a new one. Returns whether it was not suspended before.
    @discardableResult
    public func suspend(_ id: UUID, reason: String) async throws -> Bool {
        let rows = try await client.query(
            """
            UPDATE destinations SET suspended_at = now(), suspended_reason = \(reason), updated_at = now()
            WHERE id = \(id) AND suspended_at IS NULL
            RETURNING tenant_id
            """,
            logger: logger
        )
        for try await tenantId in rows.decode(UUID.self) {
            try await AuditLog(client: client, logger: logger).record(
                actor: "system",
                tenantId: tenantId,
                action: "destination.suspend",
                targetType: "destination",
                targetId: id.uuidString.lowercased(),
                details: JSONText.encode(["reason": reason])
            )
            return true
        }
        return false
    }

    /// The sealed credential of a destination (for the delivery engine only).
    public func sealedSecret(destinationId: UUID) async throws -> [UInt8]? {
        try await SealedSecretColumn.destinationCredentials.value(id: destinationId, client: client, logger: logger)
    }
}

extension DestinationStore: TenantNamedRecordQueries {
    static let recordKind = "destination"
    static let tableWithAlias = (table: "destinations", alias: "d")
}
