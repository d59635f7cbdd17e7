import Foundation
import Logging
import PostgresNIO

/// Stores the leads of one webhook event and settles the event's outcome in the same
/// transaction: `accepted` when at least one lead is new, `duplicate` when all were known,
/// `rejected` (with the field errors) when none could be used.
public struct InboundLeadWriter: Sendable {
    let logger: Logger

    /// Creates a writer.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// The result of writing one event's leads.
    public struct Result: Sendable {
        public var eventId: Int64
        public var outcome: String
        public var reason: String?
        public var accepted: Int
        public var duplicates: Int
        public var rejected: Int
        public var leadIds: [Int64]
        public var deliveryIds: [Int64]

        init(eventId: Int64, outcomes: [LeadWriteOutcome], problems: [String], deliveryIds: [Int64]) {
            var accepted = 0
            var duplicates = 0
            var leadIds: [Int64] = []
            for outcome in outcomes {
                switch outcome {
                case .accepted(let id):
                    accepted += 1
                    leadIds.append(id)
                case .duplicate(let id):
                    duplicates += 1
                    leadIds.append(id)
                }
            }
            self.eventId = eventId
            self.outcome = accepted > 0 ? "accepted" : duplicates > 0 ? "duplicate" : "rejected"
            self.reason = Self.reason(problems)
            self.accepted = accepted
            self.duplicates = duplicates
            self.rejected = problems.count
            self.leadIds = leadIds
            self.deliveryIds = deliveryIds
        }

        /// The reason stored with the event: the item problems, or "no items" for an event rejected without any.
        var settledReason: String? { outcome == "rejected" ? (reason ?? "no items") : reason }

        /// The first 20 problems, at most 2,000 characters.
        static func reason(_ problems: [String]) -> String? {
            problems.isEmpty ? nil : String(problems.prefix(20).joined(separator: " | ").prefix(2_000))
        }
    }

    /// Normalizes `items` for `source` (tenant region `region`) and writes them for the existing
    /// event `eventId` on `connection` (in the caller's transaction), settling its outcome.
    public func write(
        _ items: [[String: JSONValue]],
        eventId: Int64,
        source: Source,
        region: String,
        on connection: PostgresConnection
    ) async throws -> Result {
        let (leads, problems) = normalize(items, source: source, region: region)
        let origin = LeadBatchOrigin(tenantId: source.tenantId, sourceId: source.id, channel: .webhook, inboundEventId: eventId)
        let written = try await LeadWriter(logger: logger).write(leads, origin: origin, on: connection)
        let result = Result(eventId: eventId, outcomes: written.outcomes, problems: problems, deliveryIds: written.deliveryIds)
        try await InboundEventStore.settle(
            eventId,
            outcome: result.outcome,
            reason: result.settledReason,
            leadIds: result.leadIds,
            on: connection,
            logger: logger
        )
        return result
    }

    /// Normalizes `items` for `source` (tenant region `region`) and records `event` with its leads
    /// and their deliveries through `intake` (committed before it returns). Nil when the event is a
    /// provider's re-delivery of one already taken: nothing was stored. With `sourceRevision`,
    /// throws ``StaleSourceError`` (nothing stored) when the source is no longer at that revision,
    /// disabled, or its tenant's region is not `region`.
    public func record(
        _ items: [[String: JSONValue]],
        event: InboundEventStore.NewEvent,
        source: Source,
        region: String,
        sourceRevision: Int64?,
        intake: LeadIntake
    ) async throws -> Result? {
        let (leads, problems) = normalize(items, source: source, region: region)
        let origin = LeadBatchOrigin(tenantId: source.tenantId, sourceId: source.id, channel: .webhook)
        let write = IntakeWrite(
            origin: origin,
            leads: leads,
            event: WebhookEventWrite(
                event: event,
                reason: Result.reason(problems),
                sourceRevision: sourceRevision,
                tenantRegion: region
            )
        )
        switch try await intake.write(write) {
        case .staleSource: throw StaleSourceError(sourceId: source.id)
        case .redelivery: return nil
        case .written(let eventId, let outcomes, let deliveryIds):
            guard let eventId else { throw LeadWriteError(message: "record_intake stored an event without an id") }
            return Result(eventId: eventId, outcomes: outcomes, problems: problems, deliveryIds: deliveryIds)
        }
    }

    /// The usable leads of `items` and a description of each unusable one.
    private func normalize(_ items: [[String: JSONValue]], source: Source, region: String) -> ([NormalizedLead], [String]) {
        let batch = LeadBatch(items.lazy.map { LeadInput(object: $0, fieldMap: source.fieldMap) }, region: region)
        let problems = batch.problems.map { index, issues in
            let text = issues.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
            return items.count == 1 ? text : "item \(index): \(text)"
        }
        return (batch.leads, problems)
    }
}
