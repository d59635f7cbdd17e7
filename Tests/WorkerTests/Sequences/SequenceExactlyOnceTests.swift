import Foundation
import PostgresNIO
import Redis
import Shared
import TestSupport
import Testing
import WorkerApp

/// Issue 19, "Exactly once": a step is sent at most once per enrollment whatever the workers and
/// the queue do. 50 leads go through a 3-step sequence (window always open, 1 s between steps);
/// the provider stand-in's ledger shows what reached the provider per (lead, step), and
/// `deliveries` must hold one row per (enrollment, step). The only duplicates allowed are those of
/// a provider without idempotency when a worker died between its call and its commit, and each
/// of those is flagged `possible_duplicate`.
@Suite("Sequence exactly once")
struct SequenceExactlyOnceTests {
    static let leads = 50

    /// Runs `body` with a provider stand-in, its ledger, a harness and the fixture's sequence.
    static func withFixture(
        _ provider: StepSendLedger.Provider,
        after: String = "1s",
        _ body: @escaping @Sendable (WorkerTestHarness, StepSequenceFixture, StepSendLedger) async throws -> Void
    ) async throws {
        try await CRMStandIn.withRunning { standIn in
            let ledger = StepSendLedger(provider, answering: standIn)
            try await WorkerTestHarness.run { harness in
                let fixture = try await StepSequenceFixture.make(harness, ledger: ledger, baseURL: standIn.baseURL, after: after)
                try await body(harness, fixture, ledger)
            }
        }
    }

    @Test func twoWorkersAtOnceSendEachStepOnce() async throws {
        try await Self.withFixture(.whatsApp) { harness, fixture, ledger in
            try await fixture.enroll(Self.leads)
            try await harness.withWorkers(2) { _ in try await fixture.waitUntilDone(leads: Self.leads) }
            try await fixture.expectOneDeliveryAndOneSendPerStep(leads: Self.leads, ledger: ledger)
            #expect(ledger.duplicates.isEmpty)
            #expect(try await fixture.flaggedSteps().isEmpty)
        }
    }

    @Test func aRedisWipedWhileStepsWaitIsRebuiltAndEveryStepGoesOnce() async throws {
        try await Self.withFixture(.whatsApp, after: "3s") { harness, fixture, ledger in
            try await fixture.enroll(Self.leads)
            try await harness.withWorkers { _ in
                // Step 1 sent for everyone, steps 2 waiting in the queue's schedule: Redis loses everything.
                #expect(try await fixture.waitUntilStepDoneAndNextWaits(1, leads: Self.leads))
                try await harness.wipeRedis()
                // Once more while steps 3 wait.
                #expect(try await fixture.waitUntilStepDoneAndNextWaits(2, leads: Self.leads))
                try await harness.wipeRedis()
                try await fixture.waitUntilDone(leads: Self.leads)
            }
            try await fixture.expectOneDeliveryAndOneSendPerStep(leads: Self.leads, ledger: ledger)
            #expect(ledger.duplicates.isEmpty)
            #expect(try await fixture.flaggedSteps().isEmpty)
        }
    }

    @Test func extraQueueEntriesAndForcedRepairsSendNothingTwice() async throws {
        try await Self.withFixture(.whatsApp) { harness, fixture, ledger in
            try await fixture.enroll(Self.leads)
            let queue = DeliveryQueue(stores: harness.stores, logger: harness.logger)
            try await harness.withWorkers(2) { _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        // A sweeper gone wild: every step delivery (waiting, in flight or done) on the stream
                        // again, and the whole queue rebuilt from PostgreSQL, several times a second.
                        while !Task.isCancelled {
                            try await queue.enqueue(try await Self.stepDeliveryIds(harness))
                            try await queue.rebuild()
                            try await Task.sleep(for: .milliseconds(300))
                        }
                    }
                    try await fixture.waitUntilDone(leads: Self.leads)
                    group.cancelAll()
                    while let result = await group.nextResult() {
                        if case .failure(let error) = result, !(error is CancellationError) { throw error }
                    }
                }
                // Entries for finished steps claim nothing: the stream drains, nothing is sent.
                try await queue.enqueue(try await Self.stepDeliveryIds(harness))
                try await queue.rebuild()
                #expect(try await harness.streamLength(settlesAt: 0) == 0)
            }
            try await fixture.expectOneDeliveryAndOneSendPerStep(leads: Self.leads, ledger: ledger)
            #expect(ledger.duplicates.isEmpty)
            #expect(try await fixture.flaggedSteps().isEmpty)
        }
    }

    /// How the worker that had the provider's calls in flight went away.
    enum WorkerEnd: String, Sendable, CustomStringConvertible {
        /// Stopped (SIGTERM) while the calls hung: after its grace it abandons them and hands the
        /// deliveries back, their duplicate window open.
        case stopped
        /// Killed (`kill -9`): its rows stay claimed and nothing says a call was made.
        case killed

        var description: String { rawValue }
    }

    /// A worker goes away after the provider accepted step 1 of as many leads as it had slots (8)
    /// and before it committed; another takes over. Meta cannot be asked whether the message
    /// exists: each of those steps goes once more, flagged. Twilio's message list finds the earlier
    /// send: nothing goes twice.
    @Test(arguments: [StepSendLedger.Provider.whatsApp, .twilioSMS], [WorkerEnd.stopped, .killed])
    func aWorkerGoneBetweenTheProviderAndItsCommit(_ provider: StepSendLedger.Provider, end: WorkerEnd) async throws {
        try await Self.withFixture(provider) { harness, fixture, ledger in
            ledger.hangSends(true)
            try await fixture.enroll(Self.leads)
            try await harness.withWorkers { _ in
                let deadline = ContinuousClock.now + .seconds(60)
                while ledger.sends.count < 8 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
            }
            let hung = Set(ledger.sends.map { StepSendLedger.StepKey(recipient: $0.recipient, step: $0.step) })
            #expect(hung.count == 8 && hung.allSatisfy { $0.step == 1 })
            #expect(try await harness.count("SELECT count(*)::int FROM deliveries WHERE maybe_sent_since IS NOT NULL") == hung.count)
            if end == .killed {
                // What a kill leaves instead of the hand-back: rows still claimed by the dead worker (claimed
                // before the calls went out), no duplicate window recorded.
                try await harness.stores.postgres.execute(
                    """
                    UPDATE deliveries SET status = 'processing', claimed_by = 'killed-worker', claimed_at = now() - interval '30 seconds',
                        updated_at = now() - interval '30 seconds', maybe_sent_since = NULL
                    WHERE maybe_sent_since IS NOT NULL
                    """,
                    logger: harness.logger
                )
            }
            ledger.hangSends(false)

            var tuning = WorkerTestHarness.fastTuning
            tuning.reclaimIdle = .seconds(2)
            tuning.staleClaim = .seconds(2)
            try await harness.withWorkers(tuning: tuning) { _ in try await fixture.waitUntilDone(leads: Self.leads) }

            let duplicates = ledger.duplicates
            let flagged = try await fixture.flaggedSteps()
            switch provider {
            case .whatsApp:
                try await fixture.expectOneDeliveryAndOneSendPerStep(leads: Self.leads, ledger: ledger, allowing: hung)
                #expect(
                    Set(duplicates.keys) == hung && duplicates.values.allSatisfy { $0 == 1 },
                    "one more message per step the gone worker had sent"
                )
                #expect(flagged == hung, "each possible duplicate is flagged on its attempt")
            case .twilioSMS:
                try await fixture.expectOneDeliveryAndOneSendPerStep(leads: Self.leads, ledger: ledger)
                #expect(duplicates.isEmpty)
                #expect(flagged.isEmpty)
                let found = try await harness.count(
                    """
                    SELECT count(*)::int FROM delivery_attempts
                    WHERE error_message = 'found the message sent by the attempt that got no answer; not sent again'
                    """
                )
                #expect(found == hung.count, "the duplicate check found each message the gone worker had sent")
            }
        }
    }

    static func stepDeliveryIds(_ harness: WorkerTestHarness) async throws -> [Int64] {
        try await harness.stores.postgres.query("SELECT id FROM deliveries WHERE enrollment_id IS NOT NULL", logger: harness.logger)
            .decode(Int64.self).rows()
    }
}
