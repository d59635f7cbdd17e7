import Foundation
import Logging
import PostgresNIO

/// `inbound_events`: every webhook request as received, its outcome, and the fetch jobs of
/// events whose answers live at the provider (Meta Graph API, monday GraphQL).
public struct InboundEventStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// A store over `client`.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// What to record about one request.
    public struct NewEvent: Sendable {
        public var tenantId: UUID?
        public var sourceId: UUID?
        public var method: String
        public var contentType: String?
        public var headers: [String: String]
        public var body: [UInt8]
        public var bodySize: Int
        public var bodyTruncated: Bool
        public var outcome: String
        public var reason: String?
        public var externalEventId: String?
        public var replayOf: Int64?

        /// Describes a request.
        public init(
            tenantId: UUID?,
            sourceId: UUID?,
            method: String,
            contentType: String?,
            headers: [String: String],
            body: [UInt8],
            bodySize: Int? = nil,
            bodyTruncated: Bool = false,
            outcome: String,
            reason: String? = nil,
            externalEventId: String? = nil,
            replayOf: Int64? = nil
        ) {
            self.tenantId = tenantId
            self.sourceId = sourceId
            self.method = method
            self.contentType = contentType
            self.headers = headers
            self.body = body
            self.bodySize = bodySize ?? body.count
            self.bodyTruncated = bodyTruncated
            self.outcome = outcome
            self.reason = reason
            self.externalEventId = externalEventId
            self.replayOf = replayOf
        }
    }

    /// Inserts the event on `connection` (inside the caller's transaction when it also writes
    /// leads); returns its id, or nil when an event with the same external id was already taken
    /// (a provider's re-delivery).
    public func insert(_ event: NewEvent, on connection: PostgresConnection) async throws -> Int64? {
        let due: Date? = event.outcome == "pending_fetch" ? Date() : nil
        let rows = try await connection.execute(InsertEventStatement(event: event, fetchDue: due), logger: logger)
        var id: Int64?
        for try await value in rows { id = value }
        return id
    }

    /// Inserts the event in its own transaction.
    @discardableResult
    public func record(_ event: NewEvent) async throws -> Int64? {
        try await client.withConnection { connection in try await insert(event, on: connection) }
    }

    /// Sets the outcome of an event after its leads were written (same transaction).
    public static func settle(
        _ id: Int64,
        outcome: String,
        reason: String?,
        leadIds: [Int64],
        on connection: PostgresConnection,
        logger: Logger
    ) async throws {
        _ = try await connection.execute(SettleEventStatement(id: id, outcome: outcome, reason: reason, leadIds: leadIds), logger: logger)
    }

    static let columns = """
        id, tenant_id, source_id, received_at, method, content_type, headers::text, body, body_size, body_truncated,
        outcome, reason, external_event_id, lead_ids, replay_of, fetch_attempts
        """

    func decode(_ rows: PostgresRowSequence) async throws -> [InboundEvent] {
        var events: [InboundEvent] = []
        for try await row in rows {
            let (
                id, tenantId, sourceId, received, method, contentType, headers, body, size, truncated, outcome, reason, externalId, leadIds, replayOf,
                attempts
            ) =
                try row.decode(
                    (Int64, UUID?, UUID?, Date, String, String?, String, ByteBuffer, Int, Bool, String, String?, String?, [Int64], Int64?, Int).self
                )
            events.append(
                InboundEvent(
                    id: id,
                    tenantId: tenantId,
                    sourceId: sourceId,
                    receivedAt: received,
                    method: method,
                    contentType: contentType,
                    headers: JSONText.decode([String: String].self, from: headers) ?? [:],
                    body: Array(body.readableBytesView),
                    bodySize: size,
                    bodyTruncated: truncated,
                    outcome: outcome,
                    reason: reason,
                    externalEventId: externalId,
                    leadIds: leadIds,
                    replayOf: replayOf,
                    fetchAttempts: attempts
                )
            )
        }
        return events
    }

    /// One event (of `tenantId` when given).
    public func find(_ id: Int64, tenantId: UUID? = nil) async throws -> InboundEvent {
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.columns) FROM inbound_events WHERE id = \(id) AND (\(tenantId)::uuid IS NULL OR tenant_id = \(tenantId))
            """,
            logger: logger
        )
        guard let event = try await decode(rows).first else { throw StoreError.notFound(kind: "inbound event", reference: String(id)) }
        return event
    }

    /// The newest events, optionally of one tenant/source/outcome.
    public func list(tenantId: UUID?, sourceId: UUID? = nil, outcome: String? = nil, limit: Int = 50) async throws -> [InboundEvent] {
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.columns) FROM inbound_events
            WHERE (\(tenantId)::uuid IS NULL OR tenant_id = \(tenantId)) AND (\(sourceId)::uuid IS NULL OR source_id = \(sourceId))
              AND (\(outcome)::text IS NULL OR outcome = \(outcome))
            ORDER BY id DESC LIMIT \(limit)
            """,
            logger: logger
        )
        return try await decode(rows)
    }

    /// Leases up to `limit` due fetch jobs for `lease` (another worker skips them meanwhile).
    public func leaseFetchJobs(limit: Int, lease: Duration) async throws -> [InboundEvent] {
        let rows = try await client.query(
            """
            UPDATE inbound_events SET next_fetch_at = now() + make_interval(secs => \(Double(lease.components.seconds))),
                                      fetch_attempts = fetch_attempts + 1
            WHERE id IN (SELECT id FROM inbound_events WHERE outcome = 'pending_fetch' AND next_fetch_at <= now()
                         ORDER BY next_fetch_at LIMIT \(limit) FOR UPDATE SKIP LOCKED)
            RETURNING \(unescaped: Self.columns)
            """,
            logger: logger
        )
        return try await decode(rows)
    }

    /// A failed fetch: try again after `delay`, or give up (`rejected`, replayable) when `giveUp`.
    public func fetchFailed(_ id: Int64, error: String, retryAfter delay: Duration, giveUp: Bool) async throws {
        try await client.execute(
            """
            UPDATE inbound_events SET fetch_error = \(error),
                outcome = CASE WHEN \(giveUp) THEN 'rejected' ELSE outcome END,
                reason = CASE WHEN \(giveUp) THEN 'gave up fetching the lead: ' || \(error) ELSE reason END,
                next_fetch_at = CASE WHEN \(giveUp) THEN NULL ELSE now() + make_interval(secs => \(Double(delay.components.seconds))) END
            WHERE id = \(id) AND outcome = 'pending_fetch'
            """,
            logger: logger
        )
    }

    /// Queues an event's fetch again now (a replay of a fetch-type event).
    public func refetch(_ id: Int64) async throws {
        try await client.execute(
            """
            UPDATE inbound_events SET outcome = 'pending_fetch', reason = NULL, fetch_error = NULL, fetch_attempts = 0, next_fetch_at = now()
            WHERE id = \(id)
            """,
            logger: logger
        )
    }
}
