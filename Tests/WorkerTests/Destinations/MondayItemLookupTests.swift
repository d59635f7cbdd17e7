import Foundation
import NIOHTTP1
import Shared
import TestSupport
import Testing
import WorkerApp

extension DestinationFixtures {
    /// A Facebook lead whose monday row another integration created: no `monday:` external id.
    static let facebookLead = DeliveryLead(
        id: 44,
        firstName: "דנה",
        email: "dana@example.co.il",
        phone: "+972501234567",
        extra: ["crm_ref": .string("ליד-17")],
        externalId: "fb:998877"
    )
}

extension Destinations {
    @Suite("Monday status: finding the item on the board by a column value")
    struct MondayItemLookupTests {
        typealias F = DestinationFixtures
        static let label = "נשלחה הודעה"
        static let config: [String: JSONValue] = MondayStatusRequestTests.config.merging([
            "lookup_column_id": .string("phone"), "lookup_by": .string("phone"),
        ]) { _, new in new }
        static let search =
            "query ($board: ID!, $column: String!, $values: [String]!) "
            + "{ items_page_by_column_values(limit: 2, board_id: $board, columns: [{column_id: $column, column_values: $values}]) "
            + "{ items { id } } }"

        static func destination(_ config: [String: JSONValue] = config) -> Destination { F.destination(.mondayStatus, config: config) }

        static func found(_ ids: String...) -> DeliveryResponse {
            let items = ids.map { #"{"id":"\#($0)"}"# }.joined(separator: ",")
            return DeliveryResponse(status: 200, text: #"{"data":{"items_page_by_column_values":{"items":[\#(items)]}}}"#)
        }

        static func lookup(_ lead: DeliveryLead = F.facebookLead, config: [String: JSONValue] = config) throws -> DeliveryRequest {
            try DestinationRequestBuilder.build(lead: lead, destination: destination(config), secret: F.secret)
        }

        static func step(_ request: DeliveryRequest, _ answer: DeliveryResponse) throws -> DeliveryFollowUp.Step {
            try #require(request.followUp, "the search carries the write as its follow-up").next(answer)
        }

        @Test(arguments: [
            BadConfig(change: ["lookup_by": nil], message: "Monday status lookup_column_id needs lookup_by"),
            BadConfig(change: ["lookup_column_id": nil], message: "Monday status lookup_by needs lookup_column_id"),
            BadConfig(change: ["lookup_column_id": .string("Phone number")], message: "lookup_column_id must be the column's id"),
            BadConfig(change: ["lookup_by": .string("mobile")], message: "lookup_by must be phone, email or extra.<name>, not mobile"),
            BadConfig(change: ["lookup_by": .string("extra.")], message: "lookup_by must be phone, email or extra.<name>"),
            BadConfig(change: ["lookup_by": .string("extra.crm ref")], message: "lookup_by must be phone, email or extra.<name>"),
            BadConfig(change: ["item_id_field": .string("monday_item")], message: "item_id_field and lookup_column_id cannot both be set"),
        ])
        func aBadLookupConfigIsRefusedNamingItsField(_ example: BadConfig) throws {
            try F.expectRefused(example, kind: .mondayStatus, base: Self.config)
        }

        @Test(arguments: ["phone", "email", "extra.crm_ref"])
        func aGoodLookupConfigIsAccepted(_ by: String) throws {
            var config = Self.config
            config["lookup_column_id"] = .string("email_1")
            config["lookup_by"] = .string(by)
            let adapter = try #require(DestinationRegistry.adapter(for: .mondayStatus))
            try adapter.validate(config: config)
            #expect(adapter.configFields.map(\.name).contains("lookup_column_id"), "listed for the dashboard and leadctl")
            #expect(adapter.configFields.map(\.name).contains("lookup_by"))
        }

        @Test func theSearchIsTheFirstCallWithEveryValueAsAVariable() throws {
            let request = try Self.lookup()
            #expect(request.method == .POST && request.url == "https://api.monday.com/v2")
            #expect(request.headers.first(name: "Authorization") == F.secret && request.headers.first(name: "API-Version") == "2025-07")
            let expected = #"{"query":"\#(Self.search)","variables":{"board":"9876543210","column":"phone","values":["+972501234567"]}}"#
            #expect(request.body == Array(expected.utf8))
            #expect(!request.bodyText.contains(F.secret))
        }

        @Test(arguments: [
            ("email", "dana@example.co.il"), ("extra.crm_ref", "ליד-17"),
        ])
        func eachLeadFieldSuppliesTheValueByteExact(_ by: String, _ value: String) throws {
            var config = Self.config
            config["lookup_by"] = .string(by)
            let variables = F.body(try Self.lookup(config: config))["variables"]?.objectMembers
            guard case .array(let values)? = variables?["values"], let sent = values.first?.scalarText, values.count == 1 else {
                Issue.record("no single value searched: \(String(describing: variables))")
                return
            }
            #expect(Array(sent.utf8) == Array(value.utf8), "byte for byte")
        }

        @Test func oneItemFoundIsWrittenWithTheHebrewLabel() throws {
            guard case .call(let write, let externalId) = try Self.step(Self.lookup(), Self.found("5550001")) else {
                Issue.record("one item found makes no write")
                return
            }
            #expect(externalId == "5550001")
            let expected =
                #"{"query":"\#(MondayStatusRequestTests.mutation)","variables":{"board":"9876543210","column":"status","item":"5550001","value":"\#(Self.label)"}}"#
            #expect(write.body == Array(expected.utf8))
        }

        @Test func noItemSkipsAndTwoItemsFailNamingTheAmbiguity() throws {
            let request = try Self.lookup()
            guard case .skip(let reason) = try Self.step(request, Self.found()) else {
                Issue.record("no item found is no skip")
                return
            }
            #expect(reason == "no Monday item id: no item on board 9876543210 has phone +972501234567 in column phone")
            guard case .fail(let ambiguity, let errorClass) = try Self.step(request, Self.found("5550001", "5550002")) else {
                Issue.record("two items found is no failure")
                return
            }
            #expect(errorClass == .invalidLead)
            #expect(ambiguity.hasPrefix("2 items on board 9876543210 have phone +972501234567 in column phone (5550001, 5550002)"))
            let budget = DeliveryResponse(status: 200, text: #"{"errors":[{"extensions":{"code":"COMPLEXITY_BUDGET_EXHAUSTED"}}]}"#)
            guard case .classifyFirstByAdapter = try Self.step(request, budget) else {
                Issue.record("monday's error on the search is not read as the write's")
                return
            }
            guard case .unexpected = try Self.step(request, DeliveryResponse(status: 200, text: #"{"data":{}}"#)) else {
                Issue.record("an answer without items was taken as an answer")
                return
            }
        }

        @Test func theExternalIdStillWinsAndALeadWithoutTheValueIsSkipped() throws {
            let fromMonday = try Self.lookup(F.mondayLead)
            #expect(fromMonday.followUp == nil)
            #expect(F.body(fromMonday)["variables"]?.objectMembers?["item"] == .string("1234567890"))
            #expect(throws: DeliveryBuildError.noAddress("no Monday item id: the lead has no phone to look up in column phone")) {
                try Self.lookup(F.emailOnlyLead)
            }
        }

        @Test func theDuplicateCheckSearchesThenReadsTheItemFound() throws {
            let destination = Self.destination()
            let adapter = try #require(DestinationRegistry.adapter(for: .mondayStatus))
            let search = try Self.lookup()
            let check = try #require(adapter.duplicateCheck(since: Date(), sending: search, to: destination, secret: F.secret))
            #expect(check.request.body == search.body, "the same search first")
            guard case .call(let read, _) = try #require(check.request.followUp).next(Self.found("5550001")) else {
                Issue.record("the check does not read the item found")
                return
            }
            #expect(F.body(read)["query"] == .string(MondayStatusQueryTests.query))
            #expect(F.body(read)["variables"] == .object(["item": "5550001", "column": "status"]))
            let labelled = #"{"data":{"items":[{"id":"5550001","column_values":[{"id":"status","text":"\#(Self.label)"}]}]}}"#
            #expect(check.interpret(DeliveryResponse(status: 200, text: labelled)) == .alreadySent(externalId: "5550001"))
            let other = #"{"data":{"items":[{"id":"5550001","column_values":[{"id":"status","text":"אין מענה 1"}]}]}}"#
            #expect(check.interpret(DeliveryResponse(status: 200, text: other)) == .notSent)
        }

        @Test func theOnlyIfReadFindsTheItemFirst() async throws {
            try await CRMStandIn.withRunning { monday in
                monday.respond { request in
                    if request.bodyText.contains("items_page_by_column_values") {
                        return .json(200, #"{"data":{"items_page_by_column_values":{"items":[{"id":"5550001"}]}}}"#)
                    }
                    let item = request.jsonObject?["variables"]?.objectMembers?["item"]?.scalarText ?? "?"
                    return .json(200, #"{"data":{"items":[{"id":"\#(item)","column_values":[{"id":"status","text":"נשלחה הודעה"}]}]}}"#)
                }
                var config = Self.config
                config["api_base_url"] = .string(monday.baseURL)
                let client = DestinationClient(httpClient: .allowingPrivateNetworksForTests, logger: TestEnvironment.logger)
                let reading = await client.readCRMStatus(of: F.facebookLead, at: Self.destination(config), secret: F.secret)
                #expect(reading == .label(Self.label))
                #expect(monday.requests.count == 2)
                #expect(monday.requests.first?.jsonObject?["variables"]?.objectMembers?["values"] == .array(["+972501234567"]))
                #expect(monday.requests.last?.jsonObject?["variables"]?.objectMembers?["item"] == .string("5550001"))

                monday.reset()
                monday.respond { _ in .json(200, #"{"data":{"items_page_by_column_values":{"items":[]}}}"#) }
                let missing = await client.readCRMStatus(of: F.facebookLead, at: Self.destination(config), secret: F.secret)
                guard case .failed(.skipped(let reason, .noAddress)) = missing else {
                    Issue.record("a lead not on the board read as \(missing)")
                    return
                }
                #expect(reason.hasPrefix("no Monday item id: no item on board"))
                #expect(monday.requests.count == 1, "no read without an item")
            }
        }
    }
}
