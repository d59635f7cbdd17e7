import Foundation
import PostgresNIO
import Shared
import TestSupport
import Testing

/// The group commit: writes that wait while a batch is in flight share the next COMMIT, each
/// caller gets its own result, and a write that fails does not fail the others of its batch.
@Suite("Intake group commit")
struct IntakeGroupCommitTests {
    static let logger = TestEnvironment.logger

    static func write(_ email: String, source: Source, extra: [String: JSONValue] = [:]) throws -> IntakeWrite {
        let lead = try #require(LeadBatch([LeadInput(object: ["email": .string(email)].merging(extra) { $1 })], region: "US").items.first?.lead)
        return IntakeWrite(origin: LeadBatchOrigin(tenantId: source.tenantId, sourceId: source.id, channel: .api), leads: [lead])
    }

    /// Runs `body` with a one-lane group commit whose first batch is held on a table lock until
    /// `body`'s writes are all waiting behind it; returns the first write's result and the others'.
    static func withHeldLane(
        _ fixture: OperationsFixture,
        source: Source,
        writes: [IntakeWrite]
    ) async throws -> (first: IntakeWriteResult, others: [Result<IntakeWriteResult, any Error>], batches: Int) {
        let commit = IntakeGroupCommit(postgres: fixture.client, lanes: 1, logger: logger)
        let intake = LeadIntake(groupCommit: commit)
        return try await withThrowingTaskGroup(of: Void.self) { services in
            services.addTask { try await commit.run() }
            defer { services.cancelAll() }
            return try await fixture.client.withConnection { blocker in
                try await blocker.query("BEGIN", logger: logger)
                try await blocker.query("LOCK TABLE leads IN SHARE ROW EXCLUSIVE MODE", logger: logger)
                async let first = intake.write(try write("first@example.com", source: source))
                // The first batch has left the queue (and waits on the lock) before the others arrive.
                while commit.batchesTaken < 1 { try await Task.sleep(for: .milliseconds(5)) }
                let others = try await withThrowingTaskGroup(of: (Int, Result<IntakeWriteResult, any Error>).self) { group in
                    for (index, write) in writes.enumerated() {
                        group.addTask {
                            do { return (index, .success(try await intake.write(write))) } catch { return (index, .failure(error)) }
                        }
                    }
                    while commit.waitingWrites < writes.count { try await Task.sleep(for: .milliseconds(5)) }
                    try await blocker.query("COMMIT", logger: logger)
                    var results = [Result<IntakeWriteResult, any Error>?](repeating: nil, count: writes.count)
                    for try await (index, result) in group { results[index] = result }
                    return results.compactMap { $0 }
                }
                return (try await first, others, commit.batchesTaken)
            }
        }
    }

    static func acceptedLead(_ result: IntakeWriteResult) -> Int64? {
        guard case .written(_, let outcomes, _) = result, case .accepted(let id)? = outcomes.first, outcomes.count == 1 else { return nil }
        return id
    }

    @Test func writesWaitingBehindABatchShareTheNextCommitAndEachGetsItsOwnLead() async throws {
        try await OperationsFixture.run { fixture in
            let tenant = try await fixture.tenant("Group")
            let crm = try await fixture.destination(tenant, "CRM", baseURL: "http://127.0.0.1:9/crm")
            let source = try await fixture.source(tenant, "API", destinations: [crm])
            let writes = try (0..<12).map { try Self.write("lead\($0)@example.com", source: source) }
            let (first, others, batches) = try await Self.withHeldLane(fixture, source: source, writes: writes)
            #expect(Self.acceptedLead(first) != nil)
            #expect(batches == 2, "the 12 waiting writes went out as one batch")
            var leadIds: [Int64] = []
            for (index, result) in others.enumerated() {
                let result = try result.get()
                let id = try #require(Self.acceptedLead(result))
                guard case .written(_, _, let deliveries) = result else { continue }
                #expect(deliveries.count == 1)
                let email = try await fixture.client.query("SELECT email FROM leads WHERE id = \(id)", logger: Self.logger).decode(String.self)
                for try await stored in email { #expect(stored == "lead\(index)@example.com") }
                leadIds.append(id)
            }
            #expect(Set(leadIds).count == 12)
        }
    }

    @Test func aWriteThatFailsInABatchFailsAloneAndItsNeighboursAreStored() async throws {
        try await OperationsFixture.run { fixture in
            let tenant = try await fixture.tenant("Group")
            let source = try await fixture.source(tenant, "API")
            var writes = try (0..<4).map { try Self.write("ok\($0)@example.com", source: source) }
            // PostgreSQL's jsonb cannot hold U+0000: this write's statement fails on the server.
            writes.insert(try Self.write("nul@example.com", source: source, extra: ["note": "a\u{0}b"]), at: 2)
            let (_, others, _) = try await Self.withHeldLane(fixture, source: source, writes: writes)
            for (index, result) in others.enumerated() {
                if index == 2 {
                    #expect(throws: PSQLError.self) { try result.get() }
                } else {
                    #expect(Self.acceptedLead(try result.get()) != nil, "write \(index)")
                }
            }
            let stored = try await fixture.client.query("SELECT count(*)::int FROM leads", logger: Self.logger).decode(Int.self)
            for try await count in stored { #expect(count == 5) }
        }
    }

    /// Starts a one-lane group commit with `linger`, writes one lead through it on its own (the
    /// first write through a lane has no gap to average, so it goes out at once, alone), and runs
    /// `body` with the commit while the service runs.
    static func withLingeringLane(
        _ fixture: OperationsFixture,
        source: Source,
        linger: Duration,
        _ body: @escaping @Sendable (IntakeGroupCommit, LeadIntake) async throws -> Void
    ) async throws {
        let commit = IntakeGroupCommit(postgres: fixture.client, lanes: 1, linger: linger, logger: logger)
        let intake = LeadIntake(groupCommit: commit)
        try await withThrowingTaskGroup(of: Void.self) { services in
            services.addTask { try await commit.run() }
            defer { services.cancelAll() }
            var before = 0
            while commit.batchesTaken == 0 {
                before += 1
                #expect(acceptedLead(try await intake.write(try write("first\(before)@example.com", source: source))) != nil)
            }
            #expect(commit.batchesTaken == 1)
            try await body(commit, intake)
        }
    }

    /// Under load (writes closer together than the linger) a lone write waits for company: it
    /// goes out with the next write, as soon as that arrives, not when the linger ends.
    @Test func aLoneWriteUnderLoadWaitsForASecondAndGoesOutWithIt() async throws {
        try await OperationsFixture.run { fixture in
            let tenant = try await fixture.tenant("Linger")
            let source = try await fixture.source(tenant, "API", destinations: [])
            try await Self.withLingeringLane(fixture, source: source, linger: .seconds(60)) { commit, intake in
                let started = ContinuousClock.now
                try await withThrowingTaskGroup(of: Int64?.self) { group in
                    let lone = try Self.write("lone@example.com", source: source)
                    group.addTask { Self.acceptedLead(try await intake.write(lone)) }
                    while commit.waitingWrites == 0 { try await Task.sleep(for: .milliseconds(5)) }
                    try await Task.sleep(for: .milliseconds(300))
                    #expect(commit.batchesTaken == 1, "the lone write went out without company")
                    #expect(commit.waitingWrites == 1)
                    let company = try Self.write("company@example.com", source: source)
                    group.addTask { Self.acceptedLead(try await intake.write(company)) }
                    var accepted = 0
                    for try await id in group where id != nil { accepted += 1 }
                    #expect(accepted == 2)
                }
                #expect(commit.batchesTaken == 2, "the two writes went out in one batch")
                #expect(ContinuousClock.now - started < .seconds(30), "the lone write waited for the linger, not for its company")
            }
        }
    }

    /// Under load a lone write whose company never comes goes out alone when the linger ends; a
    /// burst of writes, held and not, all get their answers.
    @Test func aLoneWriteWhoseCompanyNeverComesGoesWhenTheLingerEnds() async throws {
        try await OperationsFixture.run { fixture in
            let tenant = try await fixture.tenant("Linger")
            let source = try await fixture.source(tenant, "API", destinations: [])
            try await Self.withLingeringLane(fixture, source: source, linger: .milliseconds(300)) { commit, intake in
                let writes = try (0..<12).map { try Self.write("burst\($0)@example.com", source: source) }
                try await withThrowingTaskGroup(of: Int64?.self) { group in
                    for write in writes { group.addTask { Self.acceptedLead(try await intake.write(write)) } }
                    var accepted = 0
                    for try await id in group where id != nil { accepted += 1 }
                    #expect(accepted == 12)
                }
                let afterBurst = commit.batchesTaken
                // The burst's gaps were short: this write is held, finds no company and goes alone.
                #expect(Self.acceptedLead(try await intake.write(try Self.write("alone@example.com", source: source))) != nil)
                #expect(commit.batchesTaken == afterBurst + 1)
                #expect(commit.waitingWrites == 0)
            }
        }
    }
}
