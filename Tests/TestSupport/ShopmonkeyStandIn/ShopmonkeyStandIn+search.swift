import Foundation
import Shared

extension ShopmonkeyStandIn.State {
    /// Shopmonkey's cap on `limit`.
    static let pageCap = 100
    /// How many records earlier than asked each page after the first starts in the overlapping-pages mode.
    static let pageOverlap = 10

    /// The answer to a search over `records` (id, updatedDate, JSON) with `query`'s `where`,
    /// `orderBy`, `limit` and `skip`, in the current modes.
    func search(_ records: [(id: String, updated: Date, json: JSONValue)], _ query: [String: JSONValue]) -> StandInAnswer {
        var matching = records
        if !ignoresWhere, let bounds = query["where"]?.objectMembers?["updatedDate"]?.objectMembers {
            for (operator_, value) in bounds {
                // Bare operators only: Shopmonkey ignores Mongo-style `$gte` without a word.
                guard let text = value.scalarText, let limit = ShopmonkeyTimestamp.date(text) else { continue }
                let edge = ShopmonkeyTimestamp.milliseconds(limit)
                let keep: (Int64) -> Bool? =
                    switch operator_ {
                    case "gte": { $0 >= edge }
                    case "gt": { $0 > edge }
                    case "lte": { $0 <= edge }
                    case "lt": { $0 < edge }
                    default: { _ in nil }
                    }
                matching = matching.filter { keep(ShopmonkeyTimestamp.milliseconds($0.updated)) ?? true }
            }
        }
        let order = ignoresOrderBy ? nil : query["orderBy"]?.objectMembers
        let descending = order?.values.first?.scalarText?.lowercased() == "desc"
        let byDate = order?["updatedDate"] != nil
        matching.sort { first, second in
            let firstKey = byDate ? ShopmonkeyTimestamp.milliseconds(first.updated) : 0
            let secondKey = byDate ? ShopmonkeyTimestamp.milliseconds(second.updated) : 0
            if firstKey != secondKey { return descending ? firstKey > secondKey : firstKey < secondKey }
            return descending && !byDate ? first.id > second.id : first.id < second.id
        }
        let limit = min(max(query["limit"]?.scalarText.flatMap { Int($0) } ?? Self.pageCap, 1), Self.pageCap)
        let skip = max(query["skip"]?.scalarText.flatMap { Int($0) } ?? 0, 0)
        let start = min(overlapsPages && skip > 0 ? max(skip - Self.pageOverlap, 0) : skip, matching.count)
        let page = matching[start..<min(start + limit, matching.count)]
        let body: JSONValue = .object([
            "success": true,
            "data": .array(page.map(\.json)),
            "meta": .object(["total": .number(JSONNumber(matching.count)), "hasMore": .bool(start + page.count < matching.count)]),
        ])
        return .ok(body.compactJSONText)
    }
}
