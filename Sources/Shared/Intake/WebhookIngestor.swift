import Foundation
import Logging
import PostgresNIO

/// Handles one webhook request end to end: interprets it for its source, records it in
/// `inbound_events` whatever the outcome, and stores its leads with their deliveries (or its
/// messaging events: replies, statuses, opt-outs) in the same transaction as the event. The caller answers with ``Answer`` and enqueues its delivery ids
/// after the commit.
public struct WebhookIngestor: Sendable {
    let intake: LeadIntake
    let logger: Logger

    /// An ingestor writing leads through `intake` (the web process's group commit).
    public init(intake: LeadIntake, logger: Logger) {
        self.intake = intake
        self.logger = logger
    }

    /// An ingestor writing each event on its own over `postgres`.
    public init(postgres: PostgresClient, logger: Logger) {
        self.init(intake: LeadIntake(postgres: postgres, logger: logger), logger: logger)
    }

    /// What to answer the provider, and the deliveries to enqueue.
    public struct Answer: Sendable {
        public var status: Int
        public var contentType: String
        public var body: [UInt8]
        public var eventId: Int64?
        public var deliveryIds: [Int64]

        /// Creates an answer.
        public init(status: Int, contentType: String, body: [UInt8], eventId: Int64?, deliveryIds: [Int64]) {
            self.status = status
            self.contentType = contentType
            self.body = body
            self.eventId = eventId
            self.deliveryIds = deliveryIds
        }
    }

    /// Processes `request` for `source`; `replayOf` marks an operator's replay of a stored event
    /// (signatures are not checked again; `now` is the original arrival time).
    ///
    /// `sourceRevision` is the revision `source`, `region` and `secrets` were read at: leads are
    /// stored only if the source is still at it. A `cached` copy is trusted for nothing else: any
    /// other outcome (a refusal, a handshake, an ignored or fetched event) throws
    /// ``StaleSourceError`` before anything is recorded, to be handled again with a current copy.
    public func handle(
        _ request: WebhookRequest,
        source: Source,
        region: String,
        secrets: SourceSecrets,
        sourceRevision: Int64? = nil,
        cached: Bool = false,
        replayOf: Int64? = nil,
        now: Date = Date()
    ) async throws -> Answer {
        let store = InboundEventStore(client: intake.postgres, logger: logger)
        @Sendable func event(_ outcome: String, reason: String?, externalId: String? = nil) -> InboundEventStore.NewEvent {
            InboundEventStore.NewEvent(
                tenantId: source.tenantId,
                sourceId: source.id,
                method: request.method,
                contentType: request.contentType,
                headers: request.recordableHeaders,
                body: request.body,
                outcome: outcome,
                reason: reason,
                externalEventId: externalId,
                replayOf: replayOf
            )
        }
        let interpretation: WebhookInterpretation
        do {
            interpretation = try WebhookInterpreter.interpret(request, source: source, secrets: secrets, now: now, verify: replayOf == nil)
        } catch  where cached {
            throw StaleSourceError(sourceId: source.id)
        } catch {
            let id = try await store.record(event(error.outcome, reason: error.reason))
            logger.info("webhook refused", metadata: ["source_id": .id(source.id), "outcome": "\(error.outcome)", "reason": "\(error.reason)"])
            return Self.json(error.status, ["error": .object(["code": .string(error.outcome), "message": .string(error.reason)])], eventId: id)
        }
        if cached {
            switch interpretation {
            case .leads, .messaging: break  // their writes confirm the source's revision
            default: throw StaleSourceError(sourceId: source.id)
            }
        }
        switch interpretation {
        case .challenge(let contentType, let body):
            let id = try await store.record(event("verification", reason: nil))
            return Answer(status: 200, contentType: contentType, body: body, eventId: id, deliveryIds: [])
        case .ignored(let description, let externalId):
            if let id = try await store.record(event("ignored", reason: description, externalId: externalId)) {
                return Self.json(200, ["status": "ignored", "reason": .string(description)], eventId: id)
            }
            return try await redelivery(externalId, store: store, event: event)
        case .fetch(let description):
            let id = try await store.record(event("pending_fetch", reason: description))
            return Self.json(200, ["status": "queued", "reason": .string(description)], eventId: id)
        case .leads(let items, let externalId):
            let result = try await InboundLeadWriter(logger: logger).record(
                items,
                event: event("accepted", reason: nil, externalId: externalId),
                source: source,
                region: region,
                sourceRevision: sourceRevision,
                intake: intake
            )
            guard let result else { return try await redelivery(externalId, store: store, event: event) }
            let body: [String: JSONValue] = [
                "status": .string(result.outcome), "accepted": .number(JSONNumber(result.accepted)),
                "duplicates": .number(JSONNumber(result.duplicates)), "rejected": .number(JSONNumber(result.rejected)),
                "lead_ids": .array(result.leadIds.map { .number(JSONNumber($0)) }), "event_id": .number(JSONNumber(result.eventId)),
            ]
            var answer = Self.json(
                result.outcome == "rejected" ? 422 : 200,
                result.reason.map { body.merging(["reason": .string($0)]) { $1 } } ?? body,
                eventId: result.eventId
            )
            answer.deliveryIds = result.deliveryIds
            return answer
        case .messaging(let events, let externalId, let reply):
            let recorded = try await MessageEventWriter(postgres: intake.postgres, logger: logger).record(
                events,
                event: event("accepted", reason: nil, externalId: externalId),
                sourceRevision: sourceRevision,
                actor: source.preset?.rawValue ?? "webhook"
            )
            guard let recorded else { throw StaleSourceError(sourceId: source.id) }
            logger.debug("messaging webhook recorded", metadata: ["event_id": "\(recorded.eventId)", "outcome": "\(recorded.outcome)"])
            return Answer(status: 200, contentType: reply.contentType, body: reply.body, eventId: recorded.eventId, deliveryIds: [])
        }
    }

    /// A provider re-sent an event already taken (same external id): recorded, answered 200, nothing stored twice.
    private func redelivery(
        _ externalId: String?,
        store: InboundEventStore,
        event: (String, String?, String?) -> InboundEventStore.NewEvent
    ) async throws -> Answer {
        let reason = "re-delivery of event \(externalId ?? "?"), already processed"
        let id = try await store.record(event("duplicate", reason, nil))
        return Self.json(200, ["status": "duplicate", "reason": .string(reason)], eventId: id)
    }

    static func json(_ status: Int, _ value: [String: JSONValue], eventId: Int64?) -> Answer {
        Answer(status: status, contentType: "application/json; charset=utf-8", body: JSONText.bytes(value), eventId: eventId, deliveryIds: [])
    }
}
