import Foundation
import PostgresNIO
import Redis
import Shared
import Testing

@testable import WorkerApp

/// Issue 21, item 8: a delivery whose stream entry never existed because the web process did not
/// learn that its COMMIT succeeded (PostgreSQL killed with `kill -9` between the commit and its
/// answer, right after a Redis `FLUSHALL`) waited for the sweeper's 300 s grace — 50 leads sat
/// `queued` for five minutes in `scripts/chaos flush-then-pg-kill-1w`.
@Suite("Lost queued deliveries")
struct LostQueuedDeliveryTests {
    @Test func aQueuedDeliveryWithoutAStreamEntryIsRequeuedWithinTheReclaimInterval() async throws {
        let tuning = DeliveryEngineTuning()
        #expect(
            tuning.lostQueuedGrace + tuning.sweepEvery <= tuning.reclaimIdle + tuning.reclaimEvery,
            "a lost delivery waits no longer than a crashed worker's"
        )
        try await WorkerTestHarness.run { harness in
            let (_, source) = try await harness.destination(.http, baseURL: nil, config: ["url": .string("http://127.0.0.1:9/leads")])
            let ids = try await harness.ingest(4, source: source, enqueue: false)
            // Untouched for 40 s: longer than a worker's reclaim idle time (45 s) would allow once the next sweep is counted.
            try await harness.stores.postgres.execute(
                "UPDATE deliveries SET status = 'queued', updated_at = now() - interval '40 seconds' WHERE id = ANY(\(ids)::bigint[])",
                logger: harness.logger
            )
            let keys = harness.stores.redisKeys
            _ = try await harness.stores.redis.send(["SET", RedisArgument(keys.queueEpoch), "test"])
            let queue = DeliveryQueue(stores: harness.stores, logger: harness.logger)

            #expect(try await queue.repair(pendingGrace: tuning.pendingGrace, lostQueuedGrace: tuning.lostQueuedGrace) == 4)
            let entries = try await harness.stores.redis.send(["XRANGE", RedisArgument(keys.deliveryStream), "-", "+"])
            let onStream = Set((entries.array ?? []).compactMap { $0.array?.last?.array?.last?.string.flatMap { Int64($0) } })
            #expect(onStream == Set(ids))
        }
    }
}
