import Foundation
import PostgresNIO
import Shared
import TestSupport
import Testing
import WorkerApp

@Suite("Monday status deliveries")
struct MondayStatusDeliveryTests {
    static let label = "נשלחה הודעה"
    static let item = "1234567890"
    static let success = StandInAnswer.json(200, #"{"data":{"change_simple_column_value":{"id":"1234567890"}},"extensions":{"request_id":"r-1"}}"#)

    static func config(_ monday: CRMStandIn) -> [String: JSONValue] {
        ["board_id": .string("9876543210"), "column_id": .string("status"), "label": .string(label), "api_base_url": .string(monday.baseURL)]
    }

    /// A lead the monday webhook brought in (its item fetched by GraphQL): external id `monday:<item>`.
    static let mondayLead = LeadInput(fields: [.firstName: "משה", .phone: "+972501234567", .externalId: "monday:\(item)"])

    @Test func aLeadFromMondayGetsItsStatusSetAndALeadFromElsewhereIsSkipped() async throws {
        try await CRMStandIn.withRunning { monday in
            monday.setDefault(Self.success)
            try await WorkerTestHarness.run { harness in
                let (_, source) = try await harness.destination(.mondayStatus, baseURL: nil, config: Self.config(monday))
                let form = LeadInput(fields: [.firstName: "Web", .email: "web@example.com"])
                try await harness.ingest([Self.mondayLead, form], source: source)
                let counts = try await harness.withWorkers { _ in
                    try await harness.waitForStatuses { $0["succeeded"] == 1 && $0["skipped"] == 1 }
                }
                #expect(counts == ["succeeded": 1, "skipped": 1])
                #expect(monday.requests.count == 1, "the lead without a monday item is skipped without a call")
                let request = try #require(monday.requests.first)
                #expect(request.method == "POST" && request.path == "/v2")
                #expect(request.header("Authorization") == "token-123" && request.header("API-Version") == "2025-07")
                let body = try #require(request.jsonObject)
                #expect(body["query"]?.scalarText?.contains("change_simple_column_value(board_id: $board") == true)
                let variables = try #require(body["variables"]?.objectMembers)
                #expect(variables["board"] == .string("9876543210") && variables["item"] == .string(Self.item))
                #expect(variables["column"] == .string("status"))
                #expect(Array(variables["value"]?.scalarText?.utf8 ?? "".utf8) == Array(Self.label.utf8), "the Hebrew label byte for byte")

                let rows = try await harness.stores.postgres.query(
                    "SELECT status, external_id, last_error_class, last_error FROM deliveries ORDER BY status"
                ).decode((String, String?, String?, String?).self).rows()
                #expect(rows.map(\.0) == ["skipped", "succeeded"])
                #expect(rows.first?.2 == "no_address")
                #expect(rows.first?.3 == "no Monday item id: the lead did not come from Monday and item_id_field is not set")
                #expect(rows.last?.1 == Self.item)
            }
        }
    }

    @Test func aSpentComplexityBudgetIsRetriedAfterTheWaitMondayAskedFor() async throws {
        let wait = 3
        try await CRMStandIn.withRunning { monday in
            monday.enqueue(
                .json(
                    200,
                    #"{"errors":[{"message":"Complexity budget exhausted","extensions":{"code":"COMPLEXITY_BUDGET_EXHAUSTED","#
                        + #""retry_in_seconds":\#(wait)}}],"account_id":1}"#
                )
            )
            monday.setDefault(Self.success)
            try await WorkerTestHarness.run { harness in
                // Without monday's wait the retry would come after about 1 s.
                let (_, source) = try await harness.destination(.mondayStatus, baseURL: nil, config: Self.config(monday)) {
                    $0.retryScheduleSeconds = [1]
                }
                let ids = try await harness.ingest([Self.mondayLead], source: source)
                let delivery = try #require(ids.first)
                let scheduled = try await harness.withWorkers { _ in
                    try await harness.waitForStatuses { $0["retrying"] == 1 || $0["succeeded"] == 1 }
                    let gap = try await harness.stores.postgres.query(
                        """
                        SELECT extract(epoch FROM d.next_attempt_at - a.started_at)::float8 FROM deliveries d
                        JOIN delivery_attempts a ON a.delivery_id = d.id AND a.attempt = 1
                        WHERE d.id = \(delivery) AND d.status = 'retrying'
                        """
                    ).decode(Double.self).rows()
                    try await harness.waitForStatuses { $0["succeeded"] == 1 }
                    return gap
                }
                #expect(scheduled.count == 1, "seen while it waited for its retry")
                #expect((scheduled.first ?? 0) >= Double(wait), "next_attempt_at honours retry_in_seconds")

                #expect(try await harness.statuses() == ["succeeded": 1])
                let attempts = try await harness.timedAttempts(delivery: delivery)
                #expect(attempts.map { "\($0.0) \($0.1)" } == ["retryable rate_limited", "succeeded "])
                #expect(attempts.first?.2.hasPrefix("monday COMPLEXITY_BUDGET_EXHAUSTED") == true)
                if attempts.count == 2 { #expect(attempts[1].3 - attempts[0].3 >= Double(wait), "the second call waited") }
                #expect(monday.requests.count == 2 && monday.requests[0].body == monday.requests[1].body)
            }
        }
    }
}
