import Foundation
import PostgresNIO
import ServiceLifecycle
import Shared
import TestSupport
import Testing
import WorkerKit

@Suite("Delivery recovery")
struct DeliveryRecoveryTests {
    /// The state a `kill -9` leaves: entries read by a consumer that never acks, rows claimed by a
    /// worker that never commits. A live worker must take them over and deliver each exactly once.
    @Test func deliveriesOfAKilledWorkerAreTakenOverAndDeliveredOnce() async throws {
        try await CRMStandIn.withRunning { crm in
            crm.setDefault(.created())
            try await WorkerTestHarness.run { harness in
                let (_, source) = try await harness.destination(.http, baseURL: nil, config: ["url": .string(crm.baseURL + "/leads")])
                let ids = try await harness.ingest(12, source: source)
                let keys = harness.stores.redisKeys
                _ = try await harness.stores.redis.xgroupCreate(keys.deliveryStream, group: keys.consumerGroup, id: "0", mkstream: true)
                // The dead worker read 8 entries and claimed them (mid-batch) …
                let read = try await harness.stores.redis.xreadgroup(
                    group: keys.consumerGroup, consumer: "killed-worker", streams: [keys.deliveryStream], count: 8)
                #expect(read.count == 8)
                let claimedIds = read.compactMap { $0.string("d").flatMap(Int64.init) }
                try await harness.stores.postgres.execute("""
                    UPDATE deliveries SET status = 'processing', claimed_by = 'killed-worker', claimed_at = now()
                    WHERE id = ANY(\(claimedIds)::bigint[])
                    """, logger: harness.logger)
                var tuning = WorkerTestHarness.fastTuning
                tuning.reclaimIdle = .seconds(2)
                tuning.staleClaim = .seconds(2)
                let counts = try await harness.withWorkers(tuning: tuning) { _ in
                    try await harness.waitForStatuses(timeout: .seconds(30)) { $0["succeeded"] == 12 }
                }
                #expect(counts == ["succeeded": 12])
                #expect(crm.requests.count == 12, "each delivered exactly once")
                #expect(Set(ids).count == 12)
                let pending = try await harness.stores.redis.send(["XPENDING", RedisArgument(keys.deliveryStream), RedisArgument(keys.consumerGroup)])
                #expect(pending.array?.first?.int == 0, "nothing left pending")
            }
        }
    }

    @Test func deliveriesThatNeverReachedRedisAreEnqueuedByTheSweeper() async throws {
        try await CRMStandIn.withRunning { crm in
            crm.setDefault(.created())
            try await WorkerTestHarness.run { harness in
                let (_, source) = try await harness.destination(.http, baseURL: nil, config: ["url": .string(crm.baseURL + "/leads")])
                try await harness.ingest(7, source: source, enqueue: false)
                #expect(try await harness.statuses() == ["pending": 7])
                let counts = try await harness.withWorkers { _ in try await harness.waitForStatuses { $0["succeeded"] == 7 } }
                #expect(counts == ["succeeded": 7])
            }
        }
    }

    @Test func aQueueLostWithRedisDataIsRebuiltFromPostgreSQL() async throws {
        try await CRMStandIn.withRunning { crm in
            crm.setDefault(.created())
            try await WorkerTestHarness.run { harness in
                let (_, source) = try await harness.destination(.http, baseURL: nil, config: ["url": .string(crm.baseURL + "/leads")])
                try await harness.ingest(9, source: source)
                try await harness.stores.postgres.execute(
                    "UPDATE deliveries SET status = 'retrying', next_attempt_at = now() - interval '1 hour' WHERE id IN (SELECT id FROM deliveries ORDER BY id LIMIT 3)",
                    logger: harness.logger)
                // Redis loses everything: stream, group, scheduled retries, epoch.
                let keys = harness.stores.redisKeys
                _ = try await harness.stores.redis.send(["DEL", RedisArgument(keys.deliveryStream), RedisArgument(keys.scheduledDeliveries),
                                                         RedisArgument(keys.queueEpoch)])
                let counts = try await harness.withWorkers { _ in try await harness.waitForStatuses { $0["succeeded"] == 9 } }
                #expect(counts == ["succeeded": 9])
                #expect(crm.requests.count == 9)
            }
        }
    }

    @Test func onShutdownInFlightDeliveriesAreHandedBackNotLost() async throws {
        try await CRMStandIn.withRunning { crm in
            crm.setDefault(.hang)
            try await WorkerTestHarness.run { harness in
                let (_, source) = try await harness.destination(.http, baseURL: nil, config: ["url": .string(crm.baseURL + "/leads")]) {
                    $0.timeoutMilliseconds = 30_000
                }
                try await harness.ingest(3, source: source)
                try await harness.withWorkers { _ in
                    try await harness.waitForStatuses { $0["processing"] == 3 }
                }
                // The worker stopped after its 1 s grace: the hanging calls were abandoned and handed back.
                #expect(try await harness.statuses() == ["queued": 3])
                #expect(try await harness.count("SELECT count(*)::int FROM delivery_attempts") == 0, "an interrupted call is not an attempt")
                let length = try await harness.stores.redis.send(["XLEN", RedisArgument(harness.stores.redisKeys.deliveryStream)])
                #expect(length.int == 3, "back on the stream for the next worker")
            }
        }
    }
}
