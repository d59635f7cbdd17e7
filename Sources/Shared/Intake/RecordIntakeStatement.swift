import Foundation
import NIOCore
import PostgresNIO

/// `CALL record_intake(…)` (migrations/0007): the writes of a group commit — webhook events with
/// their leads and plain lead writes — through `insert_leads`, committed inside the procedure so
/// the row comes back only after the COMMIT. Prepared once per connection: every request that is
/// its own transaction (lead API, forms, webhooks) runs it.
struct RecordIntakeStatement: PostgresPreparedStatement {
    static let sql = """
        CALL record_intake($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,
                           $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30,
                           NULL, NULL, NULL, NULL, NULL, NULL)
        """
    static let bindingDataTypes: [PostgresDataType] =
        [
            .uuidArray, .uuidArray, .textArray, .textArray, .textArray, .byteaArray, .int4Array, .textArray, .int8Array, .textArray,
            .int8Array, .textArray, .int4Array,
        ] + LeadItemColumns.bindingDataTypes(eventIds: false)
    /// Per event: id (0: stored nothing), `stale`/`redelivery` or empty; per item: lead id (0 for an
    /// item of a skipped event) and `accepted`/`duplicate` (empty); every new delivery and its lead.
    typealias Row = ([Int64], [String], [Int64], [String], [Int64], [Int64])

    /// The writes, in order; their events are numbered in the order they appear.
    var writes: [IntakeWrite]

    func makeBindings() throws -> PostgresBindings {
        var tenantIds: [UUID] = []
        var sourceIds: [UUID] = []
        var methods: [String] = []
        var contentTypes: [String?] = []
        var headers: [String] = []
        var bodies: [ByteBuffer] = []
        var bodySizes: [Int32] = []
        var externalIds: [String?] = []
        var replaysOf: [Int64] = []
        var reasons: [String?] = []
        var revisions: [Int64] = []
        var regions: [String] = []
        var itemEvents: [Int32] = []
        var items = LeadItemColumns(reservingCapacity: writes.reduce(0) { $0 + $1.leads.count })
        for write in writes {
            var eventNumber: Int32 = 0
            if let written = write.event {
                let event = written.event
                tenantIds.append(write.origin.tenantId)
                sourceIds.append(write.origin.sourceId)
                methods.append(event.method)
                contentTypes.append(event.contentType)
                headers.append(JSONText.encode(event.headers))
                bodies.append(ByteBuffer(bytes: event.body))
                bodySizes.append(Int32(clamping: event.bodySize))
                externalIds.append(event.externalEventId)
                replaysOf.append(event.replayOf ?? 0)
                reasons.append(written.reason)
                revisions.append(written.sourceRevision ?? 0)
                regions.append(written.tenantRegion)
                eventNumber = Int32(tenantIds.count)
            }
            itemEvents.append(contentsOf: repeatElement(eventNumber, count: write.leads.count))
            items.append(write.leads, origin: write.origin)
        }
        var bindings = PostgresBindings(capacity: 30)
        bindings.append(tenantIds)
        bindings.append(sourceIds)
        bindings.append(methods)
        bindings.append(NullableTextArray(contentTypes))
        bindings.append(headers)
        bindings.append(bodies)
        bindings.append(bodySizes)
        bindings.append(NullableTextArray(externalIds))
        bindings.append(replaysOf)
        bindings.append(NullableTextArray(reasons))
        bindings.append(revisions)
        bindings.append(regions)
        bindings.append(itemEvents)
        items.bind(to: &bindings, eventIds: false)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }

    /// Each write's result from the procedure's row.
    func results(of row: Row) throws -> [IntakeWriteResult] {
        let (eventIds, eventOutcomes, leadIds, outcomes, deliveryIds, deliveryLeadIds) = row
        let leadCount = writes.reduce(0) { $0 + $1.leads.count }
        guard leadIds.count == leadCount, outcomes.count == leadCount, eventIds.count == eventOutcomes.count else {
            throw LeadWriteError(message: "record_intake answered \(leadIds.count) items and \(eventIds.count) events for \(leadCount) leads")
        }
        var deliveriesByLead: [Int64: [Int64]] = [:]
        for (delivery, lead) in zip(deliveryIds, deliveryLeadIds) { deliveriesByLead[lead, default: []].append(delivery) }
        var results: [IntakeWriteResult] = []
        var item = 0
        var event = 0
        for write in writes {
            let range = item..<(item + write.leads.count)
            item = range.upperBound
            var eventId: Int64?
            if write.event != nil {
                defer { event += 1 }
                switch eventOutcomes[event] {
                case "stale":
                    results.append(.staleSource)
                    continue
                case "redelivery":
                    results.append(.redelivery)
                    continue
                default: eventId = eventIds[event]
                }
            }
            var writeOutcomes: [LeadWriteOutcome] = []
            writeOutcomes.reserveCapacity(range.count)
            var writeDeliveries: [Int64] = []
            for index in range {
                guard let outcome = LeadWriteOutcome(outcomes[index], leadId: leadIds[index]) else {
                    throw LeadWriteError(message: "record_intake returned no outcome for item \(index)")
                }
                if case .accepted(let id) = outcome, let ids = deliveriesByLead[id] { writeDeliveries.append(contentsOf: ids) }
                writeOutcomes.append(outcome)
            }
            results.append(.written(eventId: eventId, outcomes: writeOutcomes, deliveryIds: writeDeliveries))
        }
        return results
    }
}
