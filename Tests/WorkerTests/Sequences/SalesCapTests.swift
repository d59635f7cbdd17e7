import Foundation
import PostgresNIO
import Shared
import TestSupport
import Testing
import WorkerApp

/// The Florida/Oklahoma rules through real workers: at most 3 sales messages per 24 hours per
/// lead, however many sequences the lead is in and however many workers claim its steps at once,
/// and the hours read in the lead's own time zone.
@Suite("Sales rules through the worker")
struct SalesCapTests {
    static let florida = "+13055550123"

    /// `sequences` one-step sequences (UTC, window always open, sales rules on) to one WhatsApp
    /// destination, each with the Florida lead enrolled; then `body` with the workers on `clock`.
    static func withFloridaLead(
        inSequences sequences: Int,
        workers: Int,
        clock: ManualClock,
        window: String? = nil,
        _ body: @escaping @Sendable (WorkerTestHarness, CRMStandIn) async throws -> Void
    ) async throws {
        try await CRMStandIn.withRunning { graph in
            graph.setDefault(.whatsAppAccepted(id: "wamid.any"))
            try await WorkerTestHarness.run { harness in
                let config: [String: JSONValue] = [
                    "phone_number_id": "106540352242922", "template": "lead_welcome", "language": "en",
                ]
                let (destination, _) = try await harness.destination(.whatsApp, baseURL: graph.baseURL, config: config) {
                    $0.name = "WhatsApp"
                }
                let enrollments = SequenceEnrollmentStore(client: harness.stores.postgres, logger: harness.logger)
                let source = try await SourceStore(client: harness.stores.postgres, logger: harness.logger)
                    .create(tenantId: harness.tenant.id, name: TestEnvironment.uniqueName("s"), kind: .api, destinationIds: [])
                let leadIds = try await harness.ingest([LeadInput(fields: [.firstName: "Ana", .phone: Self.florida])], source: source)
                #expect(leadIds.isEmpty, "the source fans out to nothing")
                let leadId = try #require(
                    try await harness.stores.postgres.query("SELECT id FROM leads").decode(Int64.self).rows().first
                )
                var json = #"{"time_zone": "UTC", "sales_rules": true, "steps": [{"destination": "WhatsApp"}]"#
                if let window { json += #", "window": \#(window)"# }
                json += "}"
                for index in 1...sequences {
                    let sequence = try await harness.createSequence(
                        try JSONValue.parse(json),
                        name: "Campaign \(index)",
                        destinations: [destination]
                    )
                    _ = try await enrollments.enroll(leadId: leadId, in: sequence, actor: "test")
                }
                try await harness.stores.postgres.execute(
                    "UPDATE sequence_enrollments SET enrolled_at = \(clock.now)",
                    logger: harness.logger
                )
                var tuning = WorkerTestHarness.fastTuning
                tuning.clock = { clock.now }
                try await harness.withWorkers(workers, tuning: tuning) { _ in
                    try await body(harness, graph)
                }
            }
        }
    }

    /// Five campaigns due at the same moment, claimed by two workers at once: three go, two wait
    /// until the first is 24 hours old. Without the slot taken under the lead's lock, every step
    /// read "0 sent" and all five went.
    @Test func fiveStepsDueAtOnceForAFloridaLeadSendThreeAndWaitWithTheRest() async throws {
        let noon = try #require(try? Date("2025-06-16T16:00:00Z", strategy: .iso8601))  // 12:00 in Miami
        let clock = ManualClock(noon)
        try await Self.withFloridaLead(inSequences: 5, workers: 2, clock: clock) { harness, graph in
            // Two steps of one recipient are not sent at the same moment (the others are handed back
            // for a moment); so wait until both held-back steps met the cap.
            let capped: PostgresQuery = "SELECT count(*)::int FROM deliveries WHERE status = 'retrying' AND last_error LIKE '%Florida/Oklahoma%'"
            let deadline = ContinuousClock.now + .seconds(60)
            while try await harness.count(capped) < 2, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
            // (The wait is into this test's past on the queue's real clock, so the two held back come
            // round again at once: they may be claimed at any moment, never sent.)
            #expect(try await harness.count("SELECT count(*)::int FROM deliveries WHERE status = 'succeeded'") == 3)
            #expect(try await harness.count("SELECT count(*)::int FROM deliveries WHERE status <> 'succeeded'") == 2)
            try await Task.sleep(for: .seconds(1))
            #expect(graph.requests.count == 3, "at most 3 sales messages in 24 hours")
            // The queue's schedule runs on the real clock, so a wait into this test's (past) tomorrow
            // comes round again at once, meets the cap again, and waits again: read the reason.
            let reasons = try await harness.stores.postgres.query(
                "SELECT last_error FROM deliveries WHERE status <> 'succeeded'"
            ).decode(String.self).rows()
            #expect(reasons.count == 2)
            for reason in reasons {
                #expect(reason.contains("Florida/Oklahoma rule); waits until 2025-06-17 16:00 +00:00"), "24 h after the first slot")
            }
            #expect(try await harness.count("SELECT count(*)::int FROM deliveries WHERE sales_slot_at IS NOT NULL") == 3)

            // A day later the next two go.
            clock.set(noon.addingTimeInterval(24 * 3_600 + 1))
            try await harness.waitForStatuses { $0["succeeded"] == 5 }
            #expect(graph.requests.count == 5)
        }
    }

    /// A sequence kept in UTC, always open, reaching a Miami lead at 03:00 Miami time: it waits
    /// for 08:00 in Miami, the lead's own clock.
    @Test func aFloridaLeadIsMessagedOnlyFrom08InMiami() async throws {
        let night = try #require(try? Date("2025-06-16T07:00:00Z", strategy: .iso8601))  // 03:00 EDT
        let clock = ManualClock(night)
        try await Self.withFloridaLead(inSequences: 1, workers: 1, clock: clock) { harness, graph in
            // The scheduler already applies the lead's hours (`scheduled`); the gate would too (`retrying`).
            try await harness.waitForStatuses { ($0["scheduled"] ?? 0) + ($0["retrying"] ?? 0) == 1 }
            let due = try await harness.stores.postgres.query("SELECT next_attempt_at FROM deliveries").decode(Date.self).rows()
            #expect(due == [try #require(try? Date("2025-06-16T12:00:00Z", strategy: .iso8601))], "08:00 in Miami")
            #expect(graph.requests.isEmpty)
            clock.set(try #require(try? Date("2025-06-16T12:00:01Z", strategy: .iso8601)))
            try await harness.waitForStatuses { $0["succeeded"] == 1 }
            #expect(graph.requests.count == 1)
        }
    }
}
