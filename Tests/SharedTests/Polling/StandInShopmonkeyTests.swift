import Foundation
import Shared
import TestSupport
import Testing

@Suite("Shopmonkey stand-in: search, paging quirks, errors")
struct StandInShopmonkeyTests {
    static let start = Date(timeIntervalSince1970: 1_796_000_000)

    func search(
        _ shop: ShopmonkeyStandIn,
        _ resource: String = "customer",
        since: String? = nil,
        limit: Int = 100,
        skip: Int = 0
    )
        async throws -> StandInHTTPCall
    {
        var query: [String: JSONValue] = ["orderBy": ["updatedDate": "asc"], "limit": .number(JSONNumber(limit)), "skip": .number(JSONNumber(skip))]
        if let since { query["where"] = ["updatedDate": ["gte": .string(since)]] }
        return try await StandInHTTPCall.send("POST", "\(shop.baseURL)/\(resource)/search", bearer: shop.apiToken, body: .object(query))
    }

    func ids(_ call: StandInHTTPCall) -> [String] {
        guard case .array(let records)? = call.field("data") else { return [] }
        return records.compactMap { $0.objectMembers?["id"]?.scalarText }
    }

    @Test func limitIsClampedTo100AndOverlappingPagesStillReachEveryRecord() async throws {
        try await ShopmonkeyStandIn.withRunning { shop in
            shop.addSampleCustomers(250, updatedFrom: Self.start)
            let first = try await search(shop, limit: 500)
            #expect(ids(first).count == 100)
            #expect(first.field("meta", "total") == 250 && first.field("meta", "hasMore") == true)
            shop.overlapPages()
            var seen: [String] = []
            var skip = 0
            var hasMore = true
            while hasMore {
                let page = try await search(shop, limit: 100, skip: skip)
                seen += ids(page)
                skip += ids(page).count
                hasMore = page.field("meta", "hasMore") == true
            }
            #expect(Set(seen) == Set((1...250).map { "c-\($0)" }))
            #expect(seen.count == 250 + ShopmonkeyStandIn.pageOverlap)
            #expect(shop.requestCount("/customer/search") == 4)
        }
    }

    @Test func updatedDateGteIsHonouredUnlessWhereIsIgnored() async throws {
        try await ShopmonkeyStandIn.withRunning { shop in
            shop.addSampleCustomers(5, updatedFrom: Self.start, spacing: 60)
            shop.updateCustomer("c-1", at: Self.start.addingTimeInterval(600)) { $0.postalCode = "6100001" }
            let since = ShopmonkeyTimestamp.text(Self.start.addingTimeInterval(180))
            #expect(ids(try await search(shop, since: since)) == ["c-4", "c-5", "c-1"])
            let mongo: JSONValue = ["where": ["updatedDate": ["$gte": .string(since)]]]
            let ignoredOperator = try await StandInHTTPCall.send("POST", "\(shop.baseURL)/customer/search", bearer: shop.apiToken, body: mongo)
            #expect(ids(ignoredOperator).count == 5)
            shop.ignoreWhere()
            #expect(ids(try await search(shop, since: since)).count == 5)
        }
    }

    @Test func anOrderLeadsToItsCustomer() async throws {
        try await ShopmonkeyStandIn.withRunning { shop in
            let customer = ShopmonkeyCustomer(
                id: "cust-1",
                firstName: "Yael",
                lastName: "Peretz",
                emails: ["yael@example.com"],
                phoneNumbers: ["+972541234567"],
                postalCode: "6473921",
                createdDate: Self.start
            )
            shop.addCustomer(customer)
            shop.addOrder(ShopmonkeyOrder(id: "ord-1", number: 1001, customerId: "cust-1", createdDate: Self.start))
            let orders = try await search(shop, "order", since: "2026-11-30T00:00:00Z")
            #expect(orders.field("data", "0", "customerId") == "cust-1")
            #expect(orders.field("data", "0", "updatedDate") == "2026-11-30T00:53:20.000Z")
            let fetched = try await StandInHTTPCall.send("GET", "\(shop.baseURL)/customer/cust-1", bearer: shop.apiToken)
            #expect(fetched.field("success") == true && fetched.field("data") == customer.json)
            #expect(fetched.field("data", "emails") == [["email": "yael@example.com", "primary": true]])
            let missing = try await StandInHTTPCall.send("GET", "\(shop.baseURL)/customer/nobody", bearer: shop.apiToken)
            #expect(missing.status == 404 && missing.field("success") == false)
        }
    }

    @Test func aWrongTokenIs401AndRateLimitingSendsRetryAfter() async throws {
        try await ShopmonkeyStandIn.withRunning { shop in
            let refused = try await StandInHTTPCall.send("POST", "\(shop.baseURL)/customer/search", bearer: "wrong", body: [:])
            #expect(refused.status == 401)
            #expect(refused.json == ["success": false, "code": "unauthorized", "message": "Invalid API key"])
            shop.rateLimitNextRequests(1, retryAfter: 7)
            let limited = try await search(shop)
            #expect(limited.status == 429 && limited.header("Retry-After") == "7")
            #expect(try await search(shop).status == 200)
            #expect(shop.requests.map(\.status) == [401, 429, 200])
        }
    }

    @Test(arguments: [
        ("2026-11-30T00:53:20.123Z", 1_796_000_000_123 as Int64), ("2026-11-30T00:53:20Z", 1_796_000_000_000),
        ("2026-11-30T02:53:20.5+02:00", 1_796_000_000_500),
    ])
    func timestampsAreReadToTheMillisecond(text: String, milliseconds: Int64) throws {
        let date = try #require(ShopmonkeyTimestamp.date(text))
        #expect(ShopmonkeyTimestamp.milliseconds(date) == milliseconds)
    }

    @Test func timestampsAreWrittenWithMillisecondsAndZ() {
        #expect(ShopmonkeyTimestamp.text(Date(timeIntervalSince1970: 1_796_000_000.123_9)) == "2026-11-30T00:53:20.123Z")
        #expect(ShopmonkeyTimestamp.text(Self.start) == "2026-11-30T00:53:20.000Z")
    }
}
