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
    }

    /// Normalizes `items` for `source` (tenant region `region`) and writes them for event `eventId`
    /// on `connection` (in the caller's transaction).
    public func write(_ items: [[String: JSONValue]], eventId: Int64, source: Source, region: String,
                      on connection: PostgresConnection) async throws -> Result {
        let normalizer = LeadNormalizer(defaultRegion: region)
        var leads: [NormalizedLead] = []
        var problems: [String] = []
        for (index, item) in items.enumerated() {
            switch normalizer.normalize(LeadInput(object: item, fieldMap: source.fieldMap)) {
            case .success(let lead): leads.append(lead)
            case .failure(let rejection):
                let text = rejection.errors.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
                problems.append(items.count == 1 ? text : "item \(index): \(text)")
            }
        }
        let origin = LeadBatchOrigin(tenantId: source.tenantId, sourceId: source.id, channel: .webhook, inboundEventId: eventId)
        let written = try await LeadWriter(logger: logger).write(leads, origin: origin, on: connection)
        var accepted = 0, duplicates = 0
        var leadIds: [Int64] = []
        for outcome in written.outcomes {
            switch outcome {
            case .accepted(let id): accepted += 1; leadIds.append(id)
            case .duplicate(let id): duplicates += 1; leadIds.append(id)
            }
        }
        let outcome = accepted > 0 ? "accepted" : duplicates > 0 ? "duplicate" : "rejected"
        let reason = problems.isEmpty ? nil : String(problems.prefix(20).joined(separator: " | ").prefix(2_000))
        try await InboundEventStore.settle(eventId, outcome: outcome, reason: outcome == "rejected" ? (reason ?? "no items") : reason,
                                           leadIds: leadIds, on: connection, logger: logger)
        return Result(eventId: eventId, outcome: outcome, reason: reason, accepted: accepted, duplicates: duplicates,
                      rejected: problems.count, leadIds: leadIds, deliveryIds: written.deliveryIds)
    }
}
