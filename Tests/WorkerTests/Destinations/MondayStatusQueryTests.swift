import Foundation
import NIOHTTP1
import Shared
import TestSupport
import Testing
import WorkerApp

extension Destinations {
    @Suite("Monday status reader (the sequence engine's only_if crm_status check)")
    struct MondayStatusQueryTests {
        typealias F = DestinationFixtures
        static let config = MondayStatusRequestTests.config
        static let query = "query ($item: ID!, $column: String!) { items(ids: [$item]) { id column_values(ids: [$column]) { id text } } }"

        static func destination(_ config: [String: JSONValue] = config) -> Destination { F.destination(.mondayStatus, config: config) }

        static func answer(_ text: String) -> String {
            #"{"data":{"items":[{"id":"1234567890","column_values":[{"id":"status","text":\#(text)}]}]},"extensions":{"request_id":"r"}}"#
        }

        @Test func theReadIsOneQueryWithTheItemAndColumnAsVariables() throws {
            var config = Self.config
            config["api_base_url"] = .string("http://127.0.0.1:8123")
            let request = try MondayStatusQuery.request(itemId: "12345678901234567", destination: Self.destination(config), secret: F.secret)
            #expect(request.method == .POST && request.url == "http://127.0.0.1:8123/v2")
            #expect(request.headers.first(name: "Authorization") == F.secret && request.headers.first(name: "API-Version") == "2025-07")
            let expected = #"{"query":"\#(Self.query)","variables":{"column":"status","item":"12345678901234567"}}"#
            #expect(request.body == Array(expected.utf8))
            let forLead = try MondayStatusQuery.request(for: F.mondayLead, destination: Self.destination(), secret: F.secret)
            #expect(F.body(forLead)["variables"]?.objectMembers?["item"] == .string("1234567890"))
        }

        @Test func onlyAMondayStatusDestinationAndAnItemIdCanBeRead() {
            #expect(throws: DeliveryBuildError.self) {
                try MondayStatusQuery.request(itemId: "1", destination: F.destination(.http), secret: F.secret)
            }
            #expect(throws: DeliveryBuildError.invalidLead("1; DROP is not a Monday item id")) {
                try MondayStatusQuery.request(itemId: "1; DROP", destination: Self.destination(), secret: F.secret)
            }
            #expect(throws: DeliveryBuildError.noAddress("no Monday item id: the lead did not come from Monday and item_id_field is not set")) {
                try MondayStatusQuery.request(for: F.lead, destination: Self.destination(), secret: F.secret)
            }
        }

        @Test(arguments: ["נשלחה הודעה", "אין מענה 1", "נִקְבְּעָה שיחה 👍🏽"])
        func aHebrewLabelRoundTripsByteForByte(_ label: String) {
            let body = Self.answer("\"" + JSONBodyWriter.escaped(label) + "\"")
            guard case .label(let read?) = MondayStatusQuery.label(in: DeliveryResponse(status: 200, text: body), destination: Self.destination())
            else {
                Issue.record("no label read from \(body)")
                return
            }
            #expect(Array(read.utf8) == Array(label.utf8))
        }

        @Test func anEmptyStatusReadsAsNoLabel() {
            for text in ["null", #""""#] {
                let reading = MondayStatusQuery.label(in: DeliveryResponse(status: 200, text: Self.answer(text)), destination: Self.destination())
                #expect(reading == .label(nil))
            }
        }

        @Test func aFailedReadSaysWhetherToTryAgain() {
            let budget =
                #"{"errors":[{"message":"Complexity budget exhausted","extensions":{"code":"COMPLEXITY_BUDGET_EXHAUSTED","retry_in_seconds":42}}]}"#
            guard
                case .failed(let outcome) = MondayStatusQuery.label(in: DeliveryResponse(status: 200, text: budget), destination: Self.destination())
            else {
                Issue.record("a spent budget read as a label")
                return
            }
            #expect(outcome.isRetryable && outcome.retryAfter == .seconds(42) && outcome.errorClass == .rateLimited)

            let gone = MondayStatusQuery.label(in: DeliveryResponse(status: 200, text: #"{"data":{"items":[]}}"#), destination: Self.destination())
            #expect(gone.failure?.errorClass == .invalidLead)
            let noColumn = MondayStatusQuery.label(
                in: DeliveryResponse(status: 200, text: #"{"data":{"items":[{"id":"1","column_values":[]}]}}"#),
                destination: Self.destination()
            )
            #expect(noColumn.failure?.errorClass == .configuration && noColumn.failure?.reason == "the monday item has no column status")
            let refused = MondayStatusQuery.label(in: DeliveryResponse(status: 401, text: "Unauthorized"), destination: Self.destination())
            #expect(refused.failure?.errorClass == .credentialRejected)
        }
    }
}

extension MondayStatusQuery.Reading {
    /// The failure's outcome; nil for a label.
    var failure: DeliveryOutcome? {
        if case .failed(let outcome) = self { return outcome }
        return nil
    }
}
