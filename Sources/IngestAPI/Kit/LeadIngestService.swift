import Foundation
import Logging
import PostgresNIO
import Shared

/// Validates, normalizes and durably stores a batch of lead items for one source, then hands
/// the new deliveries to the enqueuer. Shared by the bulk API, forms and webhooks.
struct LeadIngestService: Sendable {
    let stores: DataStores
    let enqueuer: DeliveryEnqueuer
    let logger: Logger

    /// One item's normalization result, before the write.
    enum Prepared {
        case valid(NormalizedLead)
        case invalid([FieldIssue])
    }

    /// Normalizes flat JSON items with the source's field map and the tenant's region.
    func prepare(_ items: [JSONValue], source: Source, region: String) -> [Prepared] {
        let normalizer = LeadNormalizer(defaultRegion: region)
        return items.map { item in
            guard case .object(let object) = item else {
                return .invalid([FieldIssue(field: "lead", message: "must be a JSON object")])
            }
            switch normalizer.normalize(LeadInput(object: object, fieldMap: source.fieldMap)) {
            case .success(let lead): return .valid(lead)
            case .failure(let rejection): return .invalid(rejection.errors)
            }
        }
    }

    /// Writes the valid items in one transaction and builds the per-item answer. `extra` runs
    /// inside the same transaction after the write (e.g. saving an idempotent reply); the new
    /// deliveries are submitted for enqueueing only after COMMIT.
    func ingest(
        _ prepared: [Prepared], origin: LeadBatchOrigin,
        extra: @escaping @Sendable (PostgresConnection, LeadIngestResponse) async throws -> Void = { _, _ in }
    ) async throws -> LeadIngestResponse {
        let valid = prepared.compactMap { if case .valid(let lead) = $0 { lead } else { nil } }
        let writer = LeadWriter(logger: logger)
        let (response, deliveryIds) = try await DatabaseAvailability.guarding { [stores, logger] in
            try await stores.postgres.withTransactionRetryingConflicts(logger: logger) { connection in
                let result = try await writer.write(valid, origin: origin, on: connection)
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

    static func response(_ prepared: [Prepared], outcomes: [LeadWriteOutcome], sourceId: UUID) -> LeadIngestResponse {
        var results: [LeadIngestResponse.ItemResult] = []
        results.reserveCapacity(prepared.count)
        var accepted = 0, duplicates = 0, rejected = 0
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
        return LeadIngestResponse(accepted: accepted, duplicates: duplicates, rejected: rejected,
                                  sourceId: sourceId.uuidString.lowercased(), results: results)
    }
}
