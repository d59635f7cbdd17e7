import Foundation
import PostgresNIO
import Shared
import TestSupport
import Testing

@testable import WorkerApp

@Suite("Claim refresh")
struct ClaimRefreshTests {
    /// The refresh used to wait for rows the result writer had locked, in another order than the
    /// writer's: the 1,000,000-delivery benchmark deadlocked the two (40P01) and lost a commit
    /// batch to the stale-claim path. A row locked by a commit in progress is now skipped.
    @Test func aRefreshSkipsRowsACommitHoldsAndRenewsTheRest() async throws {
        try await WorkerTestHarness.run { harness in
            let (_, source) = try await harness.destination(.http, baseURL: nil, config: ["url": "http://127.0.0.1:9/leads"])
            let ids = try await harness.ingest(3, source: source, enqueue: false).sorted()
            try await harness.stores.postgres.execute(
                """
                UPDATE deliveries SET status = 'processing', claimed_by = 'refreshing-worker', claimed_at = now() - interval '30 seconds'
                WHERE id = ANY(\(ids)::bigint[])
                """,
                logger: harness.logger
            )
            let store = WorkerDeliveryStore(
                client: harness.stores.postgres,
                workerId: "refreshing-worker",
                staleClaim: .seconds(40),
                logger: harness.logger
            )
            let locked = ids[0]
            try await harness.stores.postgres.withTransaction(logger: harness.logger) { connection in
                // A commit of the first delivery is in progress: its row is locked until this transaction ends.
                try await connection.query("SELECT id FROM deliveries WHERE id = \(locked) FOR UPDATE", logger: harness.logger)
                // Waiting for that lock would never end here (this transaction waits for the refresh).
                try await withTimeout(.seconds(10), operation: "claim refresh") { try await store.refreshClaims(ids) }
            }
            let fresh = try await harness.count(
                """
                SELECT count(*)::int FROM deliveries WHERE id = ANY(\(ids)::bigint[]) AND claimed_at > now() - interval '10 seconds'
                """
            )
            let stale = try await harness.count(
                "SELECT count(*)::int FROM deliveries WHERE id = \(locked) AND claimed_at < now() - interval '20 seconds'"
            )
            #expect(fresh == 2, "the two unlocked claims are renewed")
            #expect(stale == 1, "the locked row is left to its commit")
        }
    }
}
