import Foundation
import PostgresNIO
import Shared
import Synchronization
import TestSupport
import Testing
import WorkerApp

@Suite("Monday status deliveries finding the item by a column value")
struct MondayItemLookupDeliveryTests {
    static let label = MondayStatusDeliveryTests.label

    static func config(_ monday: CRMStandIn) -> [String: JSONValue] {
        MondayStatusDeliveryTests.config(monday).merging(["lookup_column_id": .string("phone"), "lookup_by": .string("phone")]) { _, new in new }
    }

    static func found(_ ids: [String]) -> StandInAnswer {
        .json(200, #"{"data":{"items_page_by_column_values":{"items":[\#(ids.map { #"{"id":"\#($0)"}"# }.joined(separator: ","))]}}}"#)
    }

    /// Searches answered by phone: one item, none, two; writes answered with the item written.
    static func board(_ request: RecordedRequest) -> StandInAnswer {
        let variables = request.jsonObject?["variables"]?.objectMembers
        guard request.bodyText.contains("items_page_by_column_values") else {
            let item = variables?["item"]?.scalarText ?? "?"
            return .json(200, #"{"data":{"change_simple_column_value":{"id":"\#(item)"}}}"#)
        }
        switch variables?["values"] {
        case .array(["+972501111111"])?: return found(["5550001"])
        case .array(["+972503333333"])?: return found(["5550003", "5550004"])
        default: return found([])
        }
    }

    static func lead(_ phone: String) -> LeadInput { LeadInput(fields: [.firstName: "דנה", .phone: phone]) }

    static func isWrite(_ request: RecordedRequest) -> Bool { request.bodyText.contains("change_simple_column_value") }

    @Test func oneMatchIsWrittenNoneIsSkippedAndTwoFailWithoutAWrite() async throws {
        try await CRMStandIn.withRunning { monday in
            monday.respond(Self.board)
            try await WorkerTestHarness.run { harness in
                let (_, source) = try await harness.destination(.mondayStatus, baseURL: nil, config: Self.config(monday))
                try await harness.ingest([Self.lead("+972501111111"), Self.lead("+972502222222"), Self.lead("+972503333333")], source: source)
                let counts = try await harness.withWorkers { _ in
                    try await harness.waitForStatuses { $0["succeeded"] == 1 && $0["skipped"] == 1 && $0["dead"] == 1 }
                }
                #expect(counts == ["succeeded": 1, "skipped": 1, "dead": 1])
                let writes = monday.requests.filter(Self.isWrite)
                #expect(writes.count == 1, "only the one item found is written")
                let variables = try #require(writes.first?.jsonObject?["variables"]?.objectMembers)
                #expect(variables["item"] == .string("5550001") && variables["board"] == .string("9876543210"))
                #expect(Array(variables["value"]?.scalarText?.utf8 ?? "".utf8) == Array(Self.label.utf8), "the Hebrew label byte for byte")
                #expect(monday.requests.count == 4, "three searches, one write")

                let rows = try await harness.stores.postgres.query(
                    "SELECT status, external_id, last_error_class, last_error FROM deliveries ORDER BY status"
                ).decode((String, String?, String?, String?).self).rows()
                #expect(rows.map(\.0) == ["dead", "skipped", "succeeded"])
                #expect(rows[0].2 == "invalid_lead")
                #expect(rows[0].3?.hasPrefix("2 items on board 9876543210 have phone +972503333333 in column phone") == true, "\(rows[0])")
                #expect(rows[1].2 == "no_address")
                #expect(rows[1].3 == "no Monday item id: no item on board 9876543210 has phone +972502222222 in column phone")
                #expect(rows[2].1 == "5550001")
            }
        }
    }

    @Test func aSpentBudgetOnTheSearchIsRetriedAfterTheWaitMondayAskedFor() async throws {
        let wait = 3
        try await CRMStandIn.withRunning { monday in
            let budget = StandInAnswer.json(
                200,
                #"{"errors":[{"message":"Complexity budget exhausted","extensions":{"code":"COMPLEXITY_BUDGET_EXHAUSTED","#
                    + #""retry_in_seconds":\#(wait)}}],"account_id":1}"#
            )
            let first = FirstCall()
            monday.respond { request in first.take() ? budget : Self.board(request) }
            try await WorkerTestHarness.run { harness in
                let (_, source) = try await harness.destination(.mondayStatus, baseURL: nil, config: Self.config(monday)) {
                    $0.retryScheduleSeconds = [1]
                }
                let ids = try await harness.ingest([Self.lead("+972501111111")], source: source)
                let delivery = try #require(ids.first)
                _ = try await harness.withWorkers { _ in try await harness.waitForStatuses { $0["succeeded"] == 1 } }
                let attempts = try await harness.timedAttempts(delivery: delivery)
                #expect(attempts.map { "\($0.0) \($0.1)" } == ["retryable rate_limited", "succeeded "])
                #expect(attempts.first?.2.hasPrefix("monday COMPLEXITY_BUDGET_EXHAUSTED") == true)
                if attempts.count == 2 { #expect(attempts[1].3 - attempts[0].3 >= Double(wait), "the search waited retry_in_seconds") }
                let kinds = monday.requests.map { Self.isWrite($0) ? "write" : "search" }
                #expect(kinds == ["search", "search", "write"])
            }
        }
    }
}

/// True for the first call of ``take()`` only.
private final class FirstCall: Sendable {
    private let taken = Mutex(false)

    /// Whether this is the first call.
    func take() -> Bool {
        taken.withLock { taken in
            defer { taken = true }
            return !taken
        }
    }
}
