import Foundation
import PostgresNIO
import Shared
import Testing

@testable import WorkerApp

/// Issue 21, item 8: `ResultWriter` commits a batch again while PostgreSQL is unreachable. When
/// PostgreSQL was killed after the first COMMIT was durable but before it answered, the second one
/// found the rows already finished and inserted their attempt rows a second time
/// (`scripts/chaos flush-then-pg-kill-2w`: one delivery with two succeeded attempt rows).
@Suite("Repeated result commit")
struct RepeatedCommitTests {
    @Test func committingTheSameResultsAgainAddsNoAttemptRows() async throws {
        try await WorkerTestHarness.run { harness in
            let (_, source) = try await harness.destination(.http, baseURL: nil, config: ["url": "http://127.0.0.1:9/leads"])
            let ids = try await harness.ingest(3, source: source, enqueue: false).sorted()
            try await harness.stores.postgres.execute(
                "UPDATE deliveries SET status = 'queued' WHERE id = ANY(\(ids)::bigint[])",
                logger: harness.logger
            )
            let store = WorkerDeliveryStore(
                client: harness.stores.postgres,
                workerId: "committing-worker",
                staleClaim: .seconds(40),
                logger: harness.logger
            )
            let claimed = try await store.claim(Dictionary(uniqueKeysWithValues: ids.map { ($0, ["\($0)-0"]) }))
            #expect(claimed.count == 3)
            let started = Date()
            let results = claimed.map { delivery in
                DeliveryResult(
                    delivery: delivery,
                    disposition: .succeeded(externalId: "crm-\(delivery.id)"),
                    attempt: .init(number: 1, startedAt: started, durationMilliseconds: 12, outcome: "succeeded", httpStatus: 200)
                )
            }
            try await store.commit(results)
            // The same batch again, as after a COMMIT whose answer was lost.
            try await store.commit(results)

            #expect(try await harness.statuses() == ["succeeded": 3])
            let attempts = try await harness.count("SELECT count(*)::int FROM delivery_attempts WHERE delivery_id = ANY(\(ids)::bigint[])")
            #expect(attempts == 3, "one attempt row per attempt made")
        }
    }
}
