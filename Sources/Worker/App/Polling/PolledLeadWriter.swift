import Logging
import PostgresNIO
import Shared

/// Writes the leads of a poll through the one intake write path (``LeadBatch`` to normalize,
/// ``LeadWriter`` to store), together with the poll's own bookkeeping in the same transaction,
/// and enqueues their deliveries after the COMMIT — so a worker killed mid-poll leaves each row
/// either wholly recorded or not at all.
struct PolledLeadWriter: Sendable {
    let postgres: PostgresClient
    let queue: DeliveryQueue
    let logger: Logger

    /// What became of one input.
    enum Item: Sendable {
        /// A new lead.
        case accepted(leadId: Int64)
        /// The source already had this lead.
        case duplicate(leadId: Int64)
        /// It did not normalize: the CSV importer's reason.
        case rejected(reason: String)

        /// The lead it is, if any.
        var leadId: Int64? {
            switch self {
            case .accepted(let id), .duplicate(let id): id
            case .rejected: nil
            }
        }
    }

    /// Normalizes `inputs` for `region`, stores the valid ones with `origin`, then runs
    /// `alongside` with each input's outcome in the same transaction; enqueues after the COMMIT.
    func write(
        _ inputs: [LeadInput],
        origin: LeadBatchOrigin,
        region: String,
        alongside: @escaping @Sendable (PostgresConnection, [Item]) async throws -> Void
    ) async throws -> [Item] {
        let batch = LeadBatch(inputs, region: region)
        let writer = LeadWriter(logger: logger)
        let (items, deliveryIds) = try await postgres.withTransactionRetryingConflicts(logger: logger) { connection in
            let result = try await writer.write(batch.leads, origin: origin, on: connection)
            var outcomes = result.outcomes.makeIterator()
            var items: [Item] = []
            items.reserveCapacity(batch.items.count)
            for prepared in batch.items {
                switch prepared {
                case .invalid(let issues): items.append(.rejected(reason: issues.rowReason))
                case .valid:
                    switch outcomes.next() {
                    case .accepted(let id)?: items.append(.accepted(leadId: id))
                    case .duplicate(let id)?: items.append(.duplicate(leadId: id))
                    case nil: throw LeadWriteError(message: "insert_leads returned fewer outcomes than leads")
                    }
                }
            }
            try await alongside(connection, items)
            return (items, result.deliveryIds)
        }
        // Redis down: the rows stay pending and the sweeper enqueues them.
        do {
            try await queue.enqueue(deliveryIds)
        } catch {
            logger.warning("cannot enqueue polled leads' deliveries now; the sweeper will", metadata: ["error": "\(error)"])
        }
        return items
    }
}
