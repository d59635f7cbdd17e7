import Foundation
import Logging
import PostgresNIO

/// The intake of the lead API (`POST /api/leads[/bulk]`) and of forms: normalizes items with
/// ``LeadBatch`` and stores the valid ones through ``LeadIntake``, then hands the new deliveries
/// to the enqueuer. Webhooks do not come through here: ``WebhookIngestor`` records the event and
/// writes its leads through the same ``LeadIntake`` (and so the same group commit).
public struct LeadIngestService: Sendable {
    let stores: DataStores
    let intake: LeadIntake
    let enqueuer: DeliveryEnqueuer
    let logger: Logger

    /// A service writing through `intake` (or, with an `extra` step, `stores.postgres`).
    public init(stores: DataStores, intake: LeadIntake, enqueuer: DeliveryEnqueuer, logger: Logger) {
        self.stores = stores
        self.intake = intake
        self.enqueuer = enqueuer
        self.logger = logger
    }

    /// Normalizes flat JSON items with the source's field map and the tenant's region.
    public func prepare(_ items: [JSONValue], source: Source, region: String) -> [PreparedLead] {
        LeadBatch(jsonItems: items, fieldMap: source.fieldMap, region: region).items
    }

    /// Writes the valid items and builds the per-item answer; a database outage is thrown as it
    /// comes (``DatabaseUnavailable``, a transient ``DatabaseFailure``), nothing having been stored. With `extra`, the write runs in a
    /// transaction of its own and `extra` inside it after the write (e.g. saving an idempotent
    /// reply); without, it shares a group commit with concurrent requests. The new deliveries are
    /// submitted for enqueueing only after COMMIT.
    public func ingest(
        _ prepared: [PreparedLead],
        origin: LeadBatchOrigin,
        extra: (@Sendable (PostgresConnection, LeadIngestResponse) async throws -> Void)? = nil
    ) async throws -> LeadIngestResponse {
        let valid = prepared.compactMap(\.lead)
        let (response, deliveryIds) = try await withDatabaseTimeLimit { [stores, intake, logger] in
            guard let extra else {
                let result = try await intake.write(IntakeWrite(origin: origin, leads: valid))
                guard case .written(_, let outcomes, let deliveryIds) = result else {
                    throw LeadWriteError(message: "a lead write without an event came back \(result)")
                }
                return (Self.response(prepared, outcomes: outcomes, sourceId: origin.sourceId), deliveryIds)
            }
            return try await stores.postgres.withTransactionRetryingConflicts(logger: logger) { connection in
                let result = try await LeadWriter(logger: logger).write(valid, origin: origin, on: connection)
                let response = Self.response(prepared, outcomes: result.outcomes, sourceId: origin.sourceId)
                try await extra(connection, response)
                return (response, result.deliveryIds)
            }
        }
        enqueuer.submit(deliveryIds)
        for case .invalid(let errors) in prepared {
            LeadRelayMetrics.shared.rejected(channel: origin.channel.rawValue, field: errors.first?.field ?? "lead")
        }
        return response
    }

    static func response(_ prepared: [PreparedLead], outcomes: [LeadWriteOutcome], sourceId: UUID) -> LeadIngestResponse {
        var results: [LeadIngestResponse.ItemResult] = []
        results.reserveCapacity(prepared.count)
        var accepted = 0
        var duplicates = 0
        var rejected = 0
        var outcomeIterator = outcomes.makeIterator()
        for (index, item) in prepared.enumerated() {
            switch item {
            case .invalid(let errors):
                rejected += 1
                results.append(.init(index: index, status: "rejected", errors: errors))
            case .valid(let lead):
                let warnings = lead.warnings.isEmpty ? nil : lead.warnings
                switch outcomeIterator.next() {
                case .accepted(let id)?:
                    accepted += 1
                    results.append(.init(index: index, status: "accepted", leadId: id, warnings: warnings))
                case .duplicate(let id)?:
                    duplicates += 1
                    results.append(.init(index: index, status: "duplicate", leadId: id, warnings: warnings))
                case nil:
                    rejected += 1
                    results.append(.init(index: index, status: "rejected", errors: [FieldIssue(field: "lead", message: "not written")]))
                }
            }
        }
        return LeadIngestResponse(
            accepted: accepted,
            duplicates: duplicates,
            rejected: rejected,
            sourceId: sourceId.uuidString.lowercased(),
            results: results
        )
    }
}
