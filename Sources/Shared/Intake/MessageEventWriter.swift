import Foundation
import Logging
import PostgresNIO

/// Records a messaging webhook — the event as received, its replies, statuses and opt-out
/// keywords — in one round trip: `CALL record_message_events(…)` (migrations/0012), committed
/// inside the procedure, so the result comes back only after the COMMIT.
public struct MessageEventWriter: Sendable {
    let postgres: PostgresClient
    let logger: Logger

    /// A writer over `postgres`.
    public init(postgres: PostgresClient, logger: Logger) {
        self.postgres = postgres
        self.logger = logger
    }

    /// What was recorded.
    public struct Result: Sendable, Hashable {
        /// The `inbound_events` row.
        public var eventId: Int64
        /// `accepted`, or `duplicate` for a re-delivery (or a replay that added nothing).
        public var outcome: String
        /// What was done, as stored on the event.
        public var reason: String?
        /// The leads the events concern: matched replies, messages whose status arrived.
        public var leadIds: [Int64]
        /// The `messages` rows written for replies.
        public var messageIds: [Int64]
        /// `channel:address:opt_out` or `:opt_in` for each opt-out standing that changed.
        public var optOutChanges: [String]
    }

    /// Records `events` with `event` (its outcome and reason are set by the procedure). With
    /// `sourceRevision`, nothing is stored and nil is returned when the source is no longer at
    /// that revision or is disabled. `actor` is who opt-out changes and stage moves are
    /// attributed to (the preset, e.g. `twilio`).
    public func record(
        _ events: [MessagingEvent],
        event: InboundEventStore.NewEvent,
        sourceRevision: Int64?,
        actor: String
    ) async throws -> Result? {
        let headers = JSONText.encode(event.headers)
        let items = JSONText.encode(events.lockOrdered.map(Item.init))
        let rows = try await postgres.query(
            """
            CALL record_message_events(\(event.tenantId), \(event.sourceId), \(event.method), \(event.contentType), \(headers)::jsonb,
                \(ByteBuffer(bytes: event.body)), \(Int32(clamping: event.bodySize)), \(event.externalEventId), \(event.replayOf), \(sourceRevision),
                \(actor), \(items)::jsonb, NULL, NULL, NULL, NULL, NULL, NULL)
            """,
            logger: logger
        )
        for try await (eventId, outcome, reason, leadIds, messageIds, changes) in rows.decode(
            (Int64?, String?, String?, [Int64]?, [Int64]?, [String]?).self
        ) {
            guard let eventId, let outcome, outcome != "stale" else { return nil }
            return Result(
                eventId: eventId,
                outcome: outcome,
                reason: reason,
                leadIds: leadIds ?? [],
                messageIds: messageIds ?? [],
                optOutChanges: changes ?? []
            )
        }
        return nil
    }

    /// One element of the procedure's `p_events` JSON array.
    private struct Item: Encodable {
        var kind: String
        var channel: String
        var providerMessageId: String
        var address: String?
        var sender: String?
        var body: String?
        var optOut: Bool?
        var keyword: String?
        var status: String?
        var statusRank: Int?
        var errorCode: String?
        var errorReason: String?
        var subject: String?
        var deliveryId: Int64?
        var note: String?

        enum CodingKeys: String, CodingKey {
            case kind, channel, address, sender, body, keyword, status, subject, note
            case providerMessageId = "provider_message_id"
            case optOut = "opt_out"
            case statusRank = "status_rank"
            case errorCode = "error_code"
            case errorReason = "error_reason"
            case deliveryId = "delivery_id"
        }

        init(_ event: MessagingEvent) {
            switch event {
            case .reply(let reply):
                kind = "reply"
                channel = reply.channel.rawValue
                providerMessageId = reply.providerMessageId
                address = reply.address
                sender = reply.sender
                body = reply.body
                optOut = reply.keyword.map { $0.action == .optOut }
                keyword = reply.keyword?.word
                subject = reply.subject
                deliveryId = reply.inReplyToDeliveryId
                note = reply.note
            case .status(let report):
                kind = "status"
                channel = report.channel.rawValue
                providerMessageId = report.providerMessageId
                status = report.status.rawValue
                statusRank = report.status.rank
                errorCode = report.errorCode
                errorReason = report.errorReason
            }
        }
    }
}
