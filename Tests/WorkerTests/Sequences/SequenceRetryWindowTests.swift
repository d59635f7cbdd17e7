import Foundation
import PostgresNIO
import Shared
import Synchronization
import TestSupport
import Testing
import WorkerApp

/// Issue 19: "A retry of a step's delivery that would fall outside the window waits for the
/// window." A step sent at 20:59:30 (window 08:00–21:00 Asia/Jerusalem) fails; by the time its
/// retry is claimed it is 21:00:30, so the retry waits for the next morning instead of going at
/// night, and goes at 08:00.
@Suite("Sequence step retries and the window")
struct SequenceRetryWindowTests {
    static func utc(_ text: String) throws -> Date {
        try #require(try? Date(text, strategy: .iso8601))
    }

    @Test func aRetryThatWouldGoAfterTheWindowClosedWaitsForTheMorning() async throws {
        let beforeClose = try Self.utc("2025-06-16T17:59:30Z")  // 20:59:30 in Israel (UTC+3)
        let afterClose = try Self.utc("2025-06-16T18:00:30Z")  // 21:00:30
        let nextMorning = try Self.utc("2025-06-17T05:00:00Z")  // 08:00
        let clock = ManualClock(beforeClose)
        try await CRMStandIn.withRunning { standIn in
            // The first call fails, and the evening passes while it does.
            let calls = CallCounter()
            standIn.respond { _ in
                guard calls.next() == 1 else { return nil }
                clock.set(afterClose)
                return .serverError(503)
            }
            standIn.setDefault(.created())
            try await WorkerTestHarness.run { harness in
                let (destination, _) = try await harness.destination(.http, baseURL: nil, config: ["url": .string(standIn.baseURL + "/step")]) {
                    $0.name = "Evening step"
                }
                let sequence = try await harness.createSequence(
                    try JSONValue.parse(
                        #"{"time_zone": "Asia/Jerusalem", "window": {"start": "08:00", "end": "21:00"}, "steps": [{"destination": "Evening step"}]}"#
                    ),
                    name: "Evening",
                    destinations: [destination]
                )
                let source = try await harness.newSource(entering: sequence)
                try await harness.ingest(1, source: source)
                try await harness.stores.postgres.execute("UPDATE sequence_enrollments SET enrolled_at = \(beforeClose)", logger: harness.logger)

                var tuning = WorkerTestHarness.fastTuning
                tuning.clock = { clock.now }
                try await harness.withWorkers(tuning: tuning) { _ in
                    let heldBack: PostgresQuery = """
                        SELECT count(*)::int FROM deliveries
                        WHERE status = 'retrying' AND attempts = 1 AND last_error LIKE 'outside the send window%'
                        """
                    let deadline = ContinuousClock.now + .seconds(60)
                    while try await harness.count(heldBack) == 0, ContinuousClock.now < deadline {
                        try await Task.sleep(for: .milliseconds(50))
                    }
                    #expect(try await harness.count(heldBack) == 1, "the retry is held for the window, without spending an attempt")
                    try await Task.sleep(for: .seconds(1))
                    #expect(standIn.requests.count == 1, "no retry at night")
                    let reason = try await harness.stores.postgres.query("SELECT last_error FROM deliveries").decode(String.self).rows()
                    #expect(reason.first?.hasSuffix("waits until 2025-06-17 08:00 +03:00 Asia/Jerusalem") == true, "\(reason)")

                    clock.set(nextMorning.addingTimeInterval(5))
                    try await harness.waitForStatuses { $0["succeeded"] == 1 }
                    #expect(standIn.requests.count == 2)
                }
                let attempts = try await harness.stores.postgres.query(
                    "SELECT coalesce(http_status, 0) FROM delivery_attempts ORDER BY id"
                ).decode(Int.self).rows()
                #expect(attempts == [503, 201])
                #expect(try await harness.waitForEnrollments { $0 == ["completed": 1] } == ["completed": 1])
            }
        }
    }
}

/// Counts the stand-in's calls from inside its responder (which may not read the stand-in).
private final class CallCounter: Sendable {
    private let count = Mutex(0)

    /// The number of this call (1 for the first).
    func next() -> Int {
        count.withLock {
            $0 += 1
            return $0
        }
    }
}
