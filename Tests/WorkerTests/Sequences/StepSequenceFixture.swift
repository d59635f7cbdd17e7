import Foundation
import PostgresNIO
import Shared
import TestSupport
import Testing

/// A plain sequence for the exactly-once tests: `steps` steps, each to its own destination of the
/// ledger's provider, step 1 at once and each later one `after` the previous, window always open
/// (UTC); a source whose new leads enter it.
struct StepSequenceFixture {
    let harness: WorkerTestHarness
    let source: Source
    let steps: Int

    static func make(
        _ harness: WorkerTestHarness,
        ledger: StepSendLedger,
        baseURL: String,
        steps: Int = 3,
        after: String = "1s"
    ) async throws -> StepSequenceFixture {
        var destinations: [Destination] = []
        var stepList: [JSONValue] = []
        for step in 1...steps {
            let (destination, _) = try await harness.destination(ledger.provider.kind, baseURL: baseURL, config: ledger.config(step: step)) {
                $0.name = "Step \(step)"
                // Longer than any test waits for an unanswered call: a hung call ends only when its worker dies.
                $0.timeoutMilliseconds = 60_000
                // Twilio's default of one message a second would make 150 steps take minutes; throughput is not tested here.
                $0.rateLimitRequests = 100
                $0.rateLimitIntervalMilliseconds = 1_000
            }
            destinations.append(destination)
            stepList.append(step == 1 ? ["destination": "Step 1"] : ["destination": .string("Step \(step)"), "after": .string(after)])
        }
        let sequence = try await harness.createSequence(
            .object(["time_zone": "UTC", "steps": .array(stepList)]),
            name: "Exactly once",
            destinations: destinations
        )
        let source = try await harness.newSource(entering: sequence)
        return StepSequenceFixture(harness: harness, source: source, steps: steps)
    }

    /// Brings in `count` leads (each its own phone number); each enters the sequence.
    func enroll(_ count: Int) async throws {
        try await harness.ingest(count, source: source)
        #expect(try await harness.count("SELECT count(*)::int FROM sequence_enrollments WHERE status = 'active'") == count)
    }

    /// Waits until step `step` (1-based) succeeded for `leads` enrollments while at least one
    /// delivery of the next step still waits (`scheduled`), and says whether that moment came.
    /// Counted per step, so a slow machine on which early leads' next steps already went out
    /// still finds the moment.
    func waitUntilStepDoneAndNextWaits(_ step: Int, leads: Int, timeout: Duration = .seconds(90)) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let done = try await harness.count(
                "SELECT count(*)::int FROM deliveries WHERE step_index = \(step - 1) AND status = 'succeeded'"
            )
            let waiting = try await harness.count(
                "SELECT count(*)::int FROM deliveries WHERE step_index = \(step) AND status = 'scheduled'"
            )
            if done == leads && waiting > 0 { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// Waits until every enrollment completed with all its steps succeeded (or `timeout` passed).
    func waitUntilDone(leads: Int, timeout: Duration = .seconds(120)) async throws {
        let counts = try await harness.waitForStatuses(timeout: timeout) { $0 == ["succeeded": leads * steps] }
        var unfinished: [String] = []
        if counts != ["succeeded": leads * steps] {
            unfinished = try await harness.stores.postgres.query(
                """
                SELECT status || ' step ' || (step_index + 1) || ': ' || coalesce(last_error, '-') || ' × ' || count(*)
                FROM deliveries WHERE status <> 'succeeded' GROUP BY status, step_index, last_error
                """,
                logger: harness.logger
            ).decode(String.self).rows()
        }
        #expect(counts == ["succeeded": leads * steps], "unfinished: \(unfinished)")
        #expect(try await harness.waitForEnrollments { $0 == ["completed": leads] } == ["completed": leads])
    }

    /// The checks every scenario ends with: `deliveries` holds one row per (enrollment, step), and
    /// each (lead, step) reached the provider once plus the `duplicates` the ledger counted (which
    /// the caller judges).
    func expectOneDeliveryAndOneSendPerStep(
        leads: Int,
        ledger: StepSendLedger,
        allowing allowed: Set<StepSendLedger.StepKey> = []
    ) async throws {
        #expect(try await harness.count("SELECT count(*)::int FROM deliveries WHERE enrollment_id IS NOT NULL") == leads * steps)
        #expect(
            try await harness.count("SELECT count(DISTINCT (enrollment_id, step_index))::int FROM deliveries WHERE enrollment_id IS NOT NULL")
                == leads * steps
        )
        #expect(try await harness.count("SELECT count(*)::int FROM deliveries WHERE enrollment_id IS NULL") == 0)
        let perStep = ledger.sendsPerStep
        #expect(perStep.count == leads * steps, "every (lead, step) reached the provider")
        #expect(Set(perStep.keys.map(\.step)) == Set(1...steps))
        let extra = ledger.duplicates
        #expect(Set(extra.keys).subtracting(allowed).isEmpty, "sent more than once: \(extra.keys.filter { !allowed.contains($0) })")
    }

    /// The (recipient, step) pairs whose delivery has an attempt flagged `possible_duplicate`.
    func flaggedSteps() async throws -> Set<StepSendLedger.StepKey> {
        let rows = try await harness.stores.postgres.query(
            """
            SELECT DISTINCT l.phone, d.step_index::int FROM deliveries d JOIN leads l ON l.id = d.lead_id
            JOIN delivery_attempts a ON a.delivery_id = d.id WHERE a.possible_duplicate
            """,
            logger: harness.logger
        ).decode((String, Int).self).rows()
        return Set(rows.map { StepSendLedger.StepKey(recipient: StepSendLedger.digits($0.0), step: $0.1 + 1) })
    }
}
