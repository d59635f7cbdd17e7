import Foundation
import PostgresNIO
import Shared
import Synchronization
import TestSupport
import Testing

/// A server that takes a write and never answers must not hold the request past its time limit.
/// A table lock held by another session stands in for the stalled server: the lane's call is sent
/// and gets no answer. Both the write in flight and one queued behind it must end as unavailable
/// (503 at the edge) while the lock is still held; PostgresNIO alone would wait for the answer,
/// i.e. until the lock is released.
@Suite("Intake against a server that does not answer")
struct IntakeStalledServerTests {
    static let logger = TestEnvironment.logger

    /// How one write ended, and whether the lock was still held then.
    struct Ending: Sendable {
        var unavailable: Bool
        var lockStillHeld: Bool
        var detail: String
    }

    @Test func writesGetNoAnswerAndAreGivenUpAtTheTimeLimitNotWhenTheServerAnswers() async throws {
        try await OperationsFixture.run { fixture in
            let tenant = try await fixture.tenant("Stalled")
            let source = try await fixture.source(tenant, "API")
            let commit = IntakeGroupCommit(postgres: fixture.client, lanes: 1, logger: Self.logger)
            let intake = LeadIntake(groupCommit: commit)
            let released = LockReleased()
            let ending: @Sendable (String) async throws -> Ending = { email in
                let write = try IntakeGroupCommitTests.write(email, source: source)
                do {
                    _ = try await withDatabaseTimeLimit { try await intake.write(write) }
                    return Ending(unavailable: false, lockStillHeld: !released.value, detail: "stored")
                } catch {
                    // What the edge answers 503: the time limit, or the connection the lane closed at it
                    // (a write that leased that connection as it closed fails at once).
                    let unavailable = DatabaseUnavailable.describes(error)
                    return Ending(unavailable: unavailable, lockStillHeld: !released.value, detail: String(reflecting: error))
                }
            }
            try await withThrowingTaskGroup(of: Void.self) { services in
                services.addTask { try await commit.run() }
                defer { services.cancelAll() }
                try await fixture.client.withConnection { blocker in
                    try await blocker.query("BEGIN", logger: Self.logger)
                    try await blocker.query("LOCK TABLE leads IN SHARE ROW EXCLUSIVE MODE", logger: Self.logger)
                    let endings = try await withThrowingTaskGroup(of: Ending?.self) { group in
                        group.addTask { try await ending("in-flight@example.com") }
                        // The first write's call has left the queue (and waits on the lock) before the second arrives.
                        while commit.batchesTaken < 1 { try await Task.sleep(for: .milliseconds(5)) }
                        group.addTask { try await ending("queued@example.com") }
                        // A safety net: the lock goes at the latest after a minute, so a regression fails instead of hanging.
                        group.addTask {
                            try? await Task.sleep(for: .seconds(60))
                            return nil
                        }
                        var endings: [Ending] = []
                        while endings.count < 2, let next = try await group.next() {
                            guard let next else { break }
                            endings.append(next)
                        }
                        released.set()
                        try await blocker.query("COMMIT", logger: Self.logger)
                        group.cancelAll()
                        return endings
                    }
                    #expect(endings.count == 2, "both writes ended before the lock went")
                    for ending in endings {
                        #expect(ending.unavailable, "\(ending.detail)")
                        #expect(ending.lockStillHeld, "given up at the time limit, not when the server answered: \(ending.detail)")
                    }
                }
                // The pool replaced the closed connection: the next write goes through.
                let next = try IntakeGroupCommitTests.write("after@example.com", source: source)
                let stored = try await withDatabaseTimeLimit { try await intake.write(next) }
                #expect(IntakeGroupCommitTests.acceptedLead(stored) != nil)
            }
        }
    }
}

/// Whether the test released the table lock (read by the writes as they end).
private final class LockReleased: Sendable {
    private let released = Mutex(false)

    var value: Bool { released.withLock { $0 } }

    func set() { released.withLock { $0 = true } }
}
