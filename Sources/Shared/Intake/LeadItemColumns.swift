import Foundation
import PostgresNIO

/// The item arrays of `insert_leads` (migrations/0007): one element per lead, for leads of any
/// number of origins. Text columns use empty strings for NULL (normalized values are never empty).
struct LeadItemColumns: Sendable {
    var tenantIds: [UUID] = []
    var sourceIds: [UUID] = []
    var channels: [String] = []
    /// Import ids as text, empty for none.
    var importIds: [String] = []
    /// Webhook event ids, 0 for none.
    var eventIds: [Int64] = []
    var spam: [Bool] = []
    /// Hex dedup keys, external ids, first names, last names, emails, phones, raw phones, postal
    /// codes, notes, extra (JSON), raw (JSON), flags (comma-separated): one array each.
    var leadColumns = [[String]](repeating: [], count: 12)

    /// How many items the columns hold.
    var count: Int { tenantIds.count }

    init(reservingCapacity capacity: Int = 0) {
        for index in leadColumns.indices { leadColumns[index].reserveCapacity(capacity) }
    }

    /// Appends `leads`, all of `origin`.
    mutating func append(_ leads: [NormalizedLead], origin: LeadBatchOrigin) {
        let importId = origin.importId.map { $0.uuidString } ?? ""
        for lead in leads {
            tenantIds.append(origin.tenantId)
            sourceIds.append(origin.sourceId)
            channels.append(origin.channel.rawValue)
            importIds.append(importId)
            eventIds.append(origin.inboundEventId ?? 0)
            spam.append(origin.isSpam)
            leadColumns[0].append(WebhookEncoding.hex(lead.dedupHash))
            leadColumns[1].append(lead.externalId ?? "")
            leadColumns[2].append(lead.firstName ?? "")
            leadColumns[3].append(lead.lastName ?? "")
            leadColumns[4].append(lead.email ?? "")
            leadColumns[5].append(lead.phone ?? "")
            leadColumns[6].append(lead.phoneRaw ?? "")
            leadColumns[7].append(lead.postalCode ?? "")
            leadColumns[8].append(lead.notes ?? "")
            leadColumns[9].append(lead.extra.isEmpty ? "{}" : JSONText.encode(lead.extra))
            leadColumns[10].append(lead.raw.map { JSONText.encode($0) } ?? "")
            leadColumns[11].append(lead.flags.joined(separator: ","))
        }
    }

    /// Appends the arrays in `insert_leads`' parameter order (18), or `record_intake`'s, which
    /// takes no event ids (17: its items name the event they belong to instead).
    func bind(to bindings: inout PostgresBindings, eventIds includingEventIds: Bool = true) {
        bindings.append(tenantIds)
        bindings.append(sourceIds)
        bindings.append(channels)
        bindings.append(importIds)
        if includingEventIds { bindings.append(eventIds) }
        bindings.append(spam)
        for column in leadColumns { bindings.append(column) }
    }

    /// The parameter types of ``bind(to:eventIds:)``.
    static func bindingDataTypes(eventIds includingEventIds: Bool = true) -> [PostgresDataType] {
        [.uuidArray, .uuidArray, .textArray, .textArray] + (includingEventIds ? [.int8Array] : []) + [.boolArray]
            + Array(repeating: .textArray, count: 12)
    }
}
