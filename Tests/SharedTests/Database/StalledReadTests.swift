import Foundation
import PostgresNIO
import Shared
import Synchronization
import TestSupport
import Testing

/// The reads every request makes before its write — the API key, and a webhook's or form's source
/// when it is not in memory — must not hold the request past the time limit when PostgreSQL takes
/// the query and never answers. A table lock held by another session stands in for the stalled
/// server; the read must end as unavailable (503 at the edge) while the lock is still held.
/// PostgresNIO alone would wait for the answer, i.e. until the lock is released.
@Suite("Request reads against a server that does not answer")
struct StalledReadTests {
    static let logger = TestEnvironment.logger

    /// A read that every request of some kind makes, and the table whose lock stalls it.
    enum Read: String, CaseIterable, Sendable {
        case apiKey = "api_keys"
        case publicSource = "sources"
    }

    @Test(arguments: Read.allCases)
    func aReadGetsNoAnswerAndIsGivenUpAtTheTimeLimit(_ read: Read) async throws {
        try await OperationsFixture.run { fixture in
            let tenant = try await fixture.tenant("Stalled read")
            let source = try await fixture.source(tenant, "Form", kind: .form)
            let keys = APIKeyStore(client: fixture.client, logger: Self.logger)
            let (key, _) = try await keys.create(tenantId: tenant.id, name: "stalled")
            let sources = SourceStore(client: fixture.client, logger: Self.logger)
            let run: @Sendable () async throws -> Bool = {
                switch read {
                case .apiKey: try await keys.authenticate(key) != nil
                case .publicSource: try await sources.findPublic(token: source.token) != nil
                }
            }
            #expect(try await run(), "found while nothing is locked")
            let released = ReleaseFlag()
            let outcome = try await fixture.client.withConnection { blocker in
                try await blocker.query("BEGIN", logger: Self.logger)
                try await blocker.query(PostgresQuery(unsafeSQL: "LOCK TABLE \(read.rawValue) IN ACCESS EXCLUSIVE MODE"), logger: Self.logger)
                let outcome = try await withThrowingTaskGroup(of: String?.self) { group in
                    group.addTask {
                        do {
                            _ = try await run()
                            return "answered" + (released.value ? " after the lock went" : " with the lock held")
                        } catch {
                            let lockHeld = !released.value
                            return DatabaseUnavailable.describes(error) && lockHeld
                                ? "unavailable" : "\(String(reflecting: error)), lock held: \(lockHeld)"
                        }
                    }
                    // A safety net: the lock goes after a minute, so a regression fails instead of hanging.
                    group.addTask {
                        try? await Task.sleep(for: .seconds(60))
                        return nil
                    }
                    let first = try await group.next() ?? nil
                    released.set()
                    try await blocker.query("COMMIT", logger: Self.logger)
                    group.cancelAll()
                    return first
                }
                return outcome
            }
            #expect(outcome == "unavailable", "ended \(outcome ?? "not at all within 60 s")")
            // The pool replaced the closed connection: the next read goes through.
            #expect(try await run())
        }
    }
}

/// Whether the test released the table lock (read by the read as it ends).
private final class ReleaseFlag: Sendable {
    private let released = Mutex(false)

    var value: Bool { released.withLock { $0 } }

    func set() { released.withLock { $0 = true } }
}
