import Foundation
import Logging
import PostgresNIO

/// Where a batch of leads came from; applies to every lead of one ``LeadWriter`` call or ``IntakeWrite``.
public struct LeadBatchOrigin: Sendable {
    public var tenantId: UUID
    public var sourceId: UUID
    public var channel: SourceKind
    public var importId: UUID?
    public var inboundEventId: Int64?
    /// Spam (a form's honeypot) is stored for the record but never delivered.
    public var isSpam: Bool

    /// Describes the origin of a batch.
    public init(tenantId: UUID, sourceId: UUID, channel: SourceKind, importId: UUID? = nil, inboundEventId: Int64? = nil, isSpam: Bool = false) {
        self.tenantId = tenantId
        self.sourceId = sourceId
        self.channel = channel
        self.importId = importId
        self.inboundEventId = inboundEventId
        self.isSpam = isSpam
    }
}

/// What happened to one lead of a batch.
public enum LeadWriteOutcome: Sendable, Hashable {
    /// Stored as a new lead.
    case accepted(leadId: Int64)
    /// Same source + dedup key as an existing lead (or an earlier lead of the same batch).
    case duplicate(existingLeadId: Int64)
}

/// The result of writing a batch: one outcome per input lead, in order, and the delivery jobs created.
public struct LeadWriteResult: Sendable {
    public var outcomes: [LeadWriteOutcome]
    public var deliveryIds: [Int64]
}

/// Writes a batch of normalized leads inside the caller's transaction, through `insert_leads`
/// (migrations/0007), the one place that turns leads into `leads` + `deliveries` rows and decides
/// each item's outcome. CSV imports, test leads and fetched webhook leads use it; requests that
/// are their own transaction go through ``LeadIntake`` (group commit), which reaches the same function.
public struct LeadWriter: Sendable {
    let logger: Logger

    /// Creates a writer.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// Writes `leads` on `connection` (which must be in a transaction the caller commits).
    public func write(_ leads: [NormalizedLead], origin: LeadBatchOrigin, on connection: PostgresConnection) async throws -> LeadWriteResult {
        guard !leads.isEmpty else { return LeadWriteResult(outcomes: [], deliveryIds: []) }
        var items = LeadItemColumns(reservingCapacity: leads.count)
        items.append(leads, origin: origin)
        var outcomes: [LeadWriteOutcome] = []
        outcomes.reserveCapacity(leads.count)
        var deliveryIds: [Int64] = []
        for try await (_, leadId, outcome, deliveries) in try await connection.execute(InsertLeadsStatement(items: items), logger: logger) {
            guard let leadId, let outcome = LeadWriteOutcome(outcome, leadId: leadId) else {
                throw LeadWriteError(message: "insert_leads returned no outcome for an item")
            }
            outcomes.append(outcome)
            deliveryIds.append(contentsOf: deliveries)
        }
        guard outcomes.count == leads.count else {
            throw LeadWriteError(message: "insert_leads returned \(outcomes.count) outcomes for \(leads.count) leads")
        }
        Self.count(outcomes, origin: origin)
        return LeadWriteResult(outcomes: outcomes, deliveryIds: deliveryIds)
    }

    /// Counts a batch's outcomes in the metrics.
    static func count(_ outcomes: some Collection<LeadWriteOutcome>, origin: LeadBatchOrigin) {
        let accepted = outcomes.reduce(0) { if case .accepted = $1 { $0 + 1 } else { $0 } }
        LeadRelayMetrics.shared.leads(channel: origin.channel.rawValue, outcome: origin.isSpam ? "spam" : "accepted", count: accepted)
        LeadRelayMetrics.shared.leads(channel: origin.channel.rawValue, outcome: "duplicate", count: outcomes.count - accepted)
    }
}

extension LeadWriteOutcome {
    /// The outcome `insert_leads` reported for an item: `accepted` or `duplicate`.
    init?(_ outcome: String?, leadId: Int64) {
        switch outcome {
        case "accepted": self = .accepted(leadId: leadId)
        case "duplicate": self = .duplicate(existingLeadId: leadId)
        default: return nil
        }
    }
}

/// The write path found the database in a state it cannot explain.
public struct LeadWriteError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }

    /// An error saying `message`.
    public init(message: String) {
        self.message = message
    }
}
