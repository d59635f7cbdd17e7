import Foundation
import PostgresNIO
import Shared
import TestSupport
import Testing
import WorkerApp

/// Issue 19, "Done when": a sequence run once on the real clock (no manual clock). Its window
/// (Asia/Jerusalem local time) opens at the start of the minute after next, so the lead enrolls
/// while it is closed; step 2 is due 3 s after step 1. Takes one to two minutes. Only facts that
/// cannot depend on the machine's speed are asserted: nothing before the opening, step 2 not
/// before 3 s after step 1.
@Suite("Sequence in real time")
struct SequenceRealTimeTests {
    /// The window `[opening, opening + 30 min)` as local `HH:MM` texts in `zone`; its end is
    /// `24:00` when it would pass midnight (windows over midnight are not supported).
    static func window(opening: Date, in zone: TimeZone) -> (start: String, end: String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.hour, .minute], from: opening)
        let start = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        let end = min(start + 30, 24 * 60)
        func text(_ minutes: Int) -> String { String(format: "%02d:%02d", minutes / 60, minutes % 60) }
        return (text(start), text(end))
    }

    @Test func aStepWaitsForAWindowOpeningAMinuteLaterAndTheNextFollowsSecondsAfter() async throws {
        let zone = try #require(TimeZone(identifier: "Asia/Jerusalem"))
        // The start of the minute after next: 60 to 120 s away, a whole local minute (Israel is a whole-hour offset).
        let opening = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 60).rounded(.down) * 60 + 120)
        let (start, end) = Self.window(opening: opening, in: zone)
        try await CRMStandIn.withRunning { standIn in
            standIn.setDefault(.created())
            try await WorkerTestHarness.run { harness in
                var destinations: [Destination] = []
                for step in 1...2 {
                    let (destination, _) = try await harness.destination(
                        .http,
                        baseURL: nil,
                        config: ["url": .string(standIn.baseURL + "/step\(step)")]
                    ) { $0.name = "Step \(step)" }
                    destinations.append(destination)
                }
                let json = try JSONValue.parse(
                    """
                    {"time_zone": "Asia/Jerusalem", "window": {"start": "\(start)", "end": "\(end)"},
                     "steps": [{"destination": "Step 1"}, {"destination": "Step 2", "after": "3s"}]}
                    """
                )
                let definition = try SequenceDefinition(json: json, tenantTimeZone: .gmt, defaultSalesRules: false, destinations: destinations)
                let sequences = SequenceStore(client: harness.stores.postgres, logger: harness.logger)
                let sequence = try await sequences.create(tenantId: harness.tenant.id, name: "Real time", definition: definition, actor: "test")
                let source = try await SourceStore(client: harness.stores.postgres, logger: harness.logger)
                    .create(tenantId: harness.tenant.id, name: TestEnvironment.uniqueName("s"), kind: .api, destinationIds: [])
                try await sequences.assign(sequence, toSource: source.id, tenantId: harness.tenant.id, actor: "test")
                try await harness.ingest(1, source: source)

                try await harness.withWorkers { _ in
                    // Step 1 is scheduled for the opening, not for the enrollment's time.
                    let waiting = try await harness.waitForStatuses(timeout: .seconds(30)) { $0["scheduled"] == 1 }
                    #expect(waiting == ["scheduled": 1])
                    let due = try await harness.stores.postgres.query(
                        "SELECT next_attempt_at FROM deliveries WHERE step_index = 0",
                        logger: harness.logger
                    ).decode(Date.self).rows()
                    #expect(due == [opening], "window \(start)–\(end) Asia/Jerusalem")
                    #expect(Date() < opening, "the window was still closed when this was checked")
                    #expect(standIn.requests.isEmpty, "nothing sent while the window is closed")

                    let counts = try await harness.waitForStatuses(timeout: .seconds(240)) { $0["succeeded"] == 2 }
                    #expect(counts == ["succeeded": 2])
                }

                let step1 = try #require(standIn.requests.first { $0.path == "/step1" })
                let step2 = try #require(standIn.requests.first { $0.path == "/step2" })
                #expect(standIn.requests.count == 2)
                #expect(step1.receivedAt >= opening, "step 1 not before the window opened")
                #expect(step2.receivedAt >= step1.receivedAt.addingTimeInterval(3), "step 2 at least 3 s after step 1")
                #expect(try await harness.waitForEnrollments { $0 == ["completed": 1] } == ["completed": 1])
                let firstSent = try await harness.stores.postgres.query(
                    "SELECT min(started_at) FROM delivery_attempts",
                    logger: harness.logger
                ).decode(Date.self).rows()
                #expect(firstSent.allSatisfy { $0 >= opening }, "no attempt started before the opening")
            }
        }
    }
}
