import Foundation
import Logging
import Shared

/// One poll of Shopmonkey for a source: for each resource, the records updated since the cursor
/// minus an overlap, page by page until `hasMore` is false. Shopmonkey may ignore the filter,
/// clamp pages to 100 and return overlapping pages, so records are filtered by `updatedDate`
/// here as well and deduplicated by id: a record already seen with the same `updatedDate` is
/// skipped; a customer becomes a lead with the webhook's dedup key (`shopmonkey:<id>`), so one
/// received both ways is one lead. Each page commits on its own.
struct ShopmonkeyPoll: Sendable {
    let source: Source
    let config: ShopmonkeyPollConfig
    let client: ShopmonkeyClient
    let writer: PolledLeadWriter
    let region: String
    let renewLease: @Sendable () async throws -> Bool
    let now: @Sendable () -> Date
    let logger: Logger

    /// Pages read per resource and poll at most (the rest waits for the next poll).
    static let maximumPages = 500

    /// Polls; returns the new cursor.
    func run(_ lease: SourcePollLease, record: inout PollRunRecord) async throws -> [String: JSONValue] {
        var cursor = lease.cursor
        let startedAt = now()
        guard let sinceText = cursor["since"]?.scalarText, let since = ShopmonkeyTime.date(sinceText) else {
            // The first poll: where to start.
            switch config.start {
            case .now:
                cursor["since"] = .string(ShopmonkeyTime.text(startedAt))
                record.notes.append("first poll: records updated from now on are read (start_at now)")
                return cursor
            case .beginning:
                cursor["since"] = .string(ShopmonkeyTime.text(.distantPast))
            case .since(let date):
                cursor["since"] = .string(ShopmonkeyTime.text(date))
            }
            return try await run(
                SourcePollLease(sourceId: lease.sourceId, cursor: cursor, failures: lease.failures, acceptHeader: false, startedAt: lease.startedAt),
                record: &record
            )
        }
        var seen: [String: String] = [:]
        if case .object(let stored)? = cursor["seen"] {
            for (key, value) in stored { if let text = value.scalarText { seen[key] = text } }
        }
        let from = since.addingTimeInterval(-Double(config.overlap))
        var newest = since
        var complete = true
        for resource in config.resources {
            var skip = 0
            var pages = 0
            var customers: [String: [String: JSONValue]] = [:]
            while true {
                let page: ShopmonkeyClient.Page
                do {
                    record.requests += 1
                    page = try await client.search(resource, since: since < Date(timeIntervalSince1970: 0) ? nil : from, skip: skip)
                } catch {
                    throw PollStop.shopmonkey(error)
                }
                pages += 1
                record.rowsRead += page.records.count
                var fresh: [(key: String, updated: String, lead: [String: JSONValue])] = []
                for item in page.records {
                    guard let id = item["id"]?.scalarText else { continue }
                    let updatedText = item["updatedDate"]?.scalarText ?? ""
                    let updated = ShopmonkeyTime.date(updatedText)
                    // The API may ignore the filter: older records are skipped here.
                    if let updated, updated < from { continue }
                    let key = "\(resource.rawValue):\(id)"
                    if seen[key] == updatedText || fresh.contains(where: { $0.key == key }) { continue }
                    if let updated, updated > newest { newest = updated }
                    switch resource {
                    case .customer:
                        fresh.append((key, updatedText, ShopmonkeyPayload.lead(fromCustomer: item)))
                    case .order:
                        guard let customerId = item["customerId"]?.scalarText else { continue }
                        if customers[customerId] == nil {
                            record.requests += 1
                            do {
                                customers[customerId] = try await client.customer(customerId)
                            } catch {
                                throw PollStop.shopmonkey(error)
                            }
                        }
                        var lead = ShopmonkeyPayload.lead(fromCustomer: customers[customerId] ?? [:])
                        lead["order_id"] = .string(id)
                        if let number = item["number"]?.scalarText { lead["order_number"] = .string(number) }
                        fresh.append((key, updatedText, lead))
                    }
                }
                if !fresh.isEmpty {
                    try await write(fresh.map(\.lead), record: &record)
                    for entry in fresh { seen[entry.key] = entry.updated }
                    cursor["seen"] = .object(seen.mapValues { .string($0) })
                }
                record.newRows += fresh.count
                guard page.hasMore, !page.records.isEmpty else { break }
                guard pages < Self.maximumPages else {
                    complete = false
                    record.outcome = .partial
                    record.notes.append("\(resource.rawValue): stopped after \(pages) pages; the next poll goes on")
                    break
                }
                skip += page.records.count
                guard try await renewLease() else { throw PollStop.leaseLost }
            }
        }
        if complete {
            // Seen entries older than the next poll's overlap can no longer come back unchanged.
            let nextFrom = newest.addingTimeInterval(-Double(config.overlap))
            seen = seen.filter { ShopmonkeyTime.date($0.value).map { $0 >= nextFrom } ?? false }
            cursor["since"] = .string(ShopmonkeyTime.text(newest))
            cursor["seen"] = .object(seen.mapValues { .string($0) })
        }
        return cursor
    }

    private func write(_ leads: [[String: JSONValue]], record: inout PollRunRecord) async throws {
        let origin = LeadBatchOrigin(tenantId: source.tenantId, sourceId: source.id, channel: .shopmonkeyPoll)
        let inputs = leads.map { LeadInput(object: $0, fieldMap: source.fieldMap) }
        let items = try await writer.write(inputs, origin: origin, region: region) { _, _ in }
        record.count(items) { index, reason in
            let id = leads[index]["external_id"]?.scalarText ?? "?"
            return ImportRowError(row: index + 1, line: nil, reason: "\(id): \(reason)", fields: leads[index].compactMapValues(\.scalarText))
        }
    }
}
