import Foundation
import NIOHTTP1
import Shared
import TestSupport
import Testing
import WorkerApp

extension DestinationFixtures {
    /// A lead that arrived by the monday webhook (its item fetched by GraphQL): external id `monday:<item id>`.
    static let mondayLead = DeliveryLead(id: 43, firstName: "משה", phone: "+972501234567", externalId: "monday:1234567890")
}

extension Destinations {
    @Suite("Monday status request builder, classification and status reader")
    struct MondayStatusRequestTests {
        typealias F = DestinationFixtures
        static let label = "נשלחה הודעה"
        static let config: [String: JSONValue] = ["board_id": .string("9876543210"), "column_id": .string("status"), "label": .string(label)]
        static let mutation =
            "mutation ($board: ID!, $item: ID!, $column: String!, $value: String!) "
            + "{ change_simple_column_value(board_id: $board, item_id: $item, column_id: $column, value: $value) { id } }"

        static func destination(_ config: [String: JSONValue] = config) -> Destination { F.destination(.mondayStatus, config: config) }

        static func build(_ lead: DeliveryLead, config: [String: JSONValue] = config) throws(DeliveryBuildError) -> DeliveryRequest {
            try DestinationRequestBuilder.build(lead: lead, destination: destination(config), secret: F.secret)
        }

        static func variables(_ request: DeliveryRequest) -> [String: JSONValue] {
            F.body(request)["variables"]?.objectMembers ?? [:]
        }

        @Test func theMutationCarriesEveryValueAsAVariableWithTheHebrewLabelByteExact() throws {
            let request = try Self.build(F.mondayLead)
            #expect(request.method == .POST)
            #expect(request.url == "https://api.monday.com/v2")
            #expect(request.headers.first(name: "Authorization") == F.secret, "the raw token, no Bearer")
            #expect(request.headers.first(name: "API-Version") == "2025-07")
            #expect(request.headers.first(name: "Content-Type") == "application/json")
            let expected =
                #"{"query":"\#(Self.mutation)","variables":{"board":"9876543210","column":"status","item":"1234567890","value":"\#(Self.label)"}}"#
            #expect(request.body == Array(expected.utf8), "compact JSON, the label's UTF-8 bytes unescaped")
            #expect(Array(Self.variables(request)["value"]?.scalarText?.utf8 ?? "".utf8) == Array(Self.label.utf8))
            #expect(request.message == nil, "a CRM write, not a message to the lead")
            #expect(!request.bodyText.contains(F.secret) && !request.redactedDescription.contains(F.secret))
        }

        @Test func aLabelWithQuotesStaysOutOfTheQueryText() throws {
            var config = Self.config
            config["label"] = .string(#"לא "ענה" }) { x"#)
            let request = try Self.build(F.mondayLead, config: config)
            #expect(F.body(request)["query"] == .string(Self.mutation))
            #expect(Self.variables(request)["value"] == .string(#"לא "ענה" }) { x"#))
        }

        @Test func theBaseURLAndVersionAreConfigurable() throws {
            var config = Self.config
            config["api_base_url"] = .string("http://127.0.0.1:8123/")
            config["api_version"] = .string("2025-10")
            let request = try Self.build(F.mondayLead, config: config)
            #expect(request.url == "http://127.0.0.1:8123/v2")
            #expect(request.headers.first(name: "API-Version") == "2025-10")
        }

        struct ItemSource: Sendable, CustomTestStringConvertible {
            var externalId: String?
            var extra: [String: JSONValue]
            var itemIdField: String?
            var item: String
            var testDescription: String { "\(externalId ?? "-") / \(itemIdField ?? "-") → \(item)" }
        }

        @Test(arguments: [
            ItemSource(externalId: "monday:1234567890", extra: [:], itemIdField: nil, item: "1234567890"),
            ItemSource(externalId: "monday:12345678901234567", extra: [:], itemIdField: nil, item: "12345678901234567"),
            ItemSource(externalId: "fb-123", extra: ["monday_item": .string("555")], itemIdField: "monday_item", item: "555"),
            ItemSource(
                externalId: nil,
                extra: ["monday_item": .number(12_345_678_901_234_567)],
                itemIdField: "monday_item",
                item: "12345678901234567"
            ),
            ItemSource(externalId: "monday:1", extra: ["pulse": .string("monday:777")], itemIdField: "pulse", item: "777"),
        ])
        func theItemIdComesFromTheExternalIdOrTheConfiguredField(_ example: ItemSource) throws {
            var lead = F.mondayLead
            lead.externalId = example.externalId
            lead.extra = example.extra
            var config = Self.config
            if let field = example.itemIdField { config["item_id_field"] = .string(field) }
            #expect(Self.variables(try Self.build(lead, config: config))["item"] == .string(example.item))
        }

        @Test func aLeadWithoutAMondayItemIsSkippedNotDead() {
            let reason = "no Monday item id: the lead did not come from Monday and item_id_field is not set"
            for externalId in [nil, "fb-123", "monday:", "monday:12ab"] as [String?] {
                var lead = F.mondayLead
                lead.externalId = externalId
                #expect(throws: DeliveryBuildError.noAddress(reason)) { try Self.build(lead) }
            }
            #expect(DeliveryBuildError.noAddress(reason).outcome == .skipped(reason: reason, errorClass: .noAddress))
            var config = Self.config
            config["item_id_field"] = .string("monday_item")
            #expect(throws: DeliveryBuildError.noAddress("no Monday item id: the lead has no monday_item")) {
                try Self.build(F.mondayLead, config: config)
            }
            var lead = F.mondayLead
            lead.extra = ["monday_item": .string("item 5")]
            #expect(throws: DeliveryBuildError.invalidLead("the lead's monday_item (item 5) is not a Monday item id")) {
                try Self.build(lead, config: config)
            }
        }

        @Test func aDestinationWithoutATokenIsMisconfigured() {
            #expect(throws: DeliveryBuildError.configuration("Monday status destination has no credential (set one with --secret)")) {
                try DestinationRequestBuilder.build(lead: F.mondayLead, destination: Self.destination(), secret: nil)
            }
        }

        struct Answer: Sendable, CustomTestStringConvertible {
            var name: String
            var status: Int = 200
            var headers: [(String, String)] = []
            var body: String
            var outcome: String
            var errorClass: DeliveryErrorClass?
            var retryAfter: Duration? = nil
            var reasonContains: String = ""
            var testDescription: String { name }
        }

        static let now = Date(timeIntervalSince1970: 1_765_000_000)  // 2025-12-06 05:46:40 UTC

        @Test(arguments: [
            Answer(
                name: "success: the item's id",
                body: #"{"data":{"change_simple_column_value":{"id":"1234567890"}},"extensions":{"request_id":"r-1"}}"#,
                outcome: "succeeded",
                errorClass: nil
            ),
            Answer(
                name: "complexity budget (2025-07) waits retry_in_seconds",
                body:
                    #"{"errors":[{"message":"Complexity budget exhausted","#
                    + #""extensions":{"code":"COMPLEXITY_BUDGET_EXHAUSTED","retry_in_seconds":60}}]}"#,
                outcome: "retryable",
                errorClass: .rateLimited,
                retryAfter: .seconds(60),
                reasonContains: "monday COMPLEXITY_BUDGET_EXHAUSTED: Complexity budget exhausted"
            ),
            Answer(
                name: "complexity budget with partial data and a Retry-After: retry_in_seconds wins",
                headers: [("Retry-After", "5")],
                body: #"{"data":{"change_simple_column_value":null},"errors":[{"message":"Complexity budget exhausted","#
                    + #""extensions":{"code":"COMPLEXITY_BUDGET_EXHAUSTED","retry_in_seconds":17,"status_code":429}}]}"#,
                outcome: "retryable",
                errorClass: .rateLimited,
                retryAfter: .seconds(17)
            ),
            Answer(
                name: "complexity budget without retry_in_seconds: Retry-After",
                headers: [("Retry-After", "9")],
                body: #"{"errors":[{"message":"Complexity budget exhausted","extensions":{"code":"COMPLEXITY_BUDGET_EXHAUSTED"}}]}"#,
                outcome: "retryable",
                errorClass: .rateLimited,
                retryAfter: .seconds(9)
            ),
            Answer(
                name: "legacy ComplexityException: reset in N seconds",
                body: #"{"error_code":"ComplexityException","status_code":429,"error_message":"Complexity budget exhausted, query cost 30001 "#
                    + #"budget remaining 19986 out of 1000000 reset in 3 seconds","error_data":{},"errors":["x"],"account_id":1}"#,
                outcome: "retryable",
                errorClass: .rateLimited,
                retryAfter: .seconds(3)
            ),
            Answer(
                name: "FIELD_LIMIT_EXCEEDED: error_data.retry_in_seconds",
                body: #"{"error_message":"Concurrency limit exceeded for the field","error_code":"FIELD_LIMIT_EXCEEDED","#
                    + #""error_data":{"retry_in_seconds":15,"entity":"boards"},"status_code":429}"#,
                outcome: "retryable",
                errorClass: .rateLimited,
                retryAfter: .seconds(15)
            ),
            Answer(
                name: "HTTP 429 with Retry-After",
                status: 429,
                headers: [("Retry-After", "30")],
                body: #"{"errors":[{"message":"Rate Limit Exceeded","extensions":{"code":"RATE_LIMIT_EXCEEDED"}}]}"#,
                outcome: "retryable",
                errorClass: .rateLimited,
                retryAfter: .seconds(30)
            ),
            Answer(
                name: "daily limit: until 00:00 UTC",
                body: #"{"errors":[{"message":"Daily limit exceeded","extensions":{"code":"DAILY_LIMIT_EXCEEDED"}}]}"#,
                outcome: "retryable",
                errorClass: .rateLimited,
                retryAfter: .seconds(86_400 - (1_765_000_000 % 86_400))
            ),
            Answer(
                name: "unknown label: permanent, naming the label",
                body: #"{"errors":[{"message":"invalid value - label does not exist in column.","locations":[{"line":1,"column":10}],"#
                    + #""path":["change_simple_column_value"],"extensions":{"code":"ColumnValueException","status_code":200,"#
                    + #""error_data":{"column_type":"status"}}}]}"#,
                outcome: "permanent",
                errorClass: .configuration,
                reasonContains: "monday refused the label “נשלחה הודעה” for column status of board 9876543210"
            ),
            Answer(
                name: "item not found: permanent for the lead",
                body: #"{"errors":[{"message":"Item not found in board","extensions":{"code":"InvalidItemIdException","status_code":200}}]}"#,
                outcome: "permanent",
                errorClass: .invalidLead,
                reasonContains: "the lead's monday item is not on board 9876543210"
            ),
            Answer(
                name: "unknown column: configuration",
                body: #"{"errors":[{"message":"This column ID doesn't exist for the board","extensions":{"code":"InvalidColumnIdException"}}]}"#,
                outcome: "permanent",
                errorClass: .configuration
            ),
            Answer(
                name: "the token's user may not edit the board: suspend",
                body: #"{"data":[],"errors":[{"message":"User unauthorized to perform action","extensions":"#
                    + #"{"code":"UserUnauthorizedException","error_data":{},"status_code":403}}],"account_id":123456}"#,
                outcome: "retryable",
                errorClass: .credentialRejected
            ),
            Answer(
                name: "HTTP 401: suspend",
                status: 401,
                body: #"{"errors":[{"message":"Not Authenticated"}]}"#,
                outcome: "retryable",
                errorClass: .credentialRejected,
                reasonContains: "replace the credential"
            ),
            Answer(
                name: "HTTP 500",
                status: 500,
                body: #"{"error_message":"Internal server error","status_code":500}"#,
                outcome: "retryable",
                errorClass: .serverError
            ),
            Answer(
                name: "a GraphQL parse error: permanent",
                body: #"{"errors":[{"message":"Parse error on \")\" (RPAREN) at [1, 15]","locations":[{"line":1,"column":15}]}]}"#,
                outcome: "permanent",
                errorClass: .badRequest
            ),
            Answer(
                name: "200 without errors or id",
                body: #"{"data":{"change_simple_column_value":null}}"#,
                outcome: "permanent",
                errorClass: .unexpectedResponse
            ),
        ])
        func mondayAnswersAreClassifiedByTheirErrorCode(_ answer: Answer) {
            let response = DeliveryResponse(status: answer.status, headers: HTTPHeaders(answer.headers), text: answer.body)
            let outcome = DeliveryClassifier.classify(response, destination: Self.destination(), now: Self.now)
            #expect(outcome.name == answer.outcome, "\(outcome)")
            #expect(outcome.errorClass == answer.errorClass, "\(outcome)")
            #expect(outcome.retryAfter == answer.retryAfter, "\(outcome)")
            #expect(answer.reasonContains.isEmpty || outcome.reason?.contains(answer.reasonContains) == true, "\(outcome)")
            if answer.outcome == "succeeded" { #expect(outcome.externalId == "1234567890") }
        }

        @Test(arguments: [
            BadConfig(change: ["board_id": nil], message: "Monday status destination has no board_id in its config"),
            BadConfig(change: ["board_id": .string("my board")], message: "board_id must be the board's numeric id"),
            BadConfig(change: ["column_id": nil], message: "Monday status destination has no column_id in its config"),
            BadConfig(change: ["column_id": .string("Lead status")], message: "column_id must be the column's id"),
            BadConfig(change: ["label": nil], message: "Monday status destination has no label in its config"),
            BadConfig(change: ["label": .string("a\nb")], message: "label must be one line"),
            BadConfig(change: ["item_id_field": .string("item id")], message: "item_id_field must name one field"),
            BadConfig(change: ["api_version": .string("v2")], message: "api_version must look like 2025-07"),
            BadConfig(change: ["api_base_url": .string("api.monday.com")], message: "api_base_url must be an absolute http(s) URL"),
            BadConfig(change: ["status": .string("x")], message: "Monday status config has no field status; it takes board_id, column_id, label"),
        ])
        func aBadConfigIsRefusedWhenSaved(_ example: BadConfig) throws {
            try F.expectRefused(example, kind: .mondayStatus, base: Self.config)
        }

        @Test func newDestinationsShareOneRateLimitPerBoard() {
            let destination = Destination.withDefaults(tenantId: UUID(), name: "Board", kind: .mondayStatus, config: Self.config)
            #expect(destination.accountKey == "monday:9876543210")
            #expect(destination.rateLimitRequests == 5 && destination.rateLimitIntervalMilliseconds == 1_000)
            #expect(destination.maxAttempts == 6)
        }
    }
}
