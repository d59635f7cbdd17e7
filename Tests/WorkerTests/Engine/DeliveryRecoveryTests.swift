import Foundation
import PostgresNIO
import Redis
import ServiceLifecycle
import Shared
import TestSupport
import Testing

@testable import WorkerApp

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
                    group: keys.consumerGroup,
                    consumer: "killed-worker",
                    streams: [keys.deliveryStream],
                    count: 8
                )
                #expect(read.count == 8)
                let claimedIds = read.compactMap { $0.string("d").flatMap(Int64.init) }
                try await harness.stores.postgres.execute(
                    """
                    UPDATE deliveries SET status = 'processing', claimed_by = 'killed-worker', claimed_at = now()
                    WHERE id = ANY(\(claimedIds)::bigint[])
                    """,
                    logger: harness.logger
                )
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
                    logger: harness.logger
                )
                // Redis loses everything: stream, group, scheduled retries, epoch.
                let keys = harness.stores.redisKeys
                _ = try await harness.stores.redis.send([
                    "DEL", RedisArgument(keys.deliveryStream), RedisArgument(keys.scheduledDeliveries),
                    RedisArgument(keys.queueEpoch),
                ])
                let counts = try await harness.withWorkers { _ in try await harness.waitForStatuses { $0["succeeded"] == 9 } }
                #expect(counts == ["succeeded": 9])
                #expect(crm.requests.count == 9)
            }
        }
    }

    /// A retry not yet due when Redis lost its data is rescheduled at its own due time: not sent
    /// early, and not left waiting for a later sweep (it used to be made due at once, refused by the
    /// worker as early, and picked up again only two minutes after its due time).
    @Test func aRebuildKeepsTheDueTimeOfFutureRetries() async throws {
        try await CRMStandIn.withRunning { crm in
            crm.setDefault(.created())
            try await WorkerTestHarness.run { harness in
                let (_, source) = try await harness.destination(.http, baseURL: nil, config: ["url": .string(crm.baseURL + "/leads")])
                try await harness.ingest(4, source: source, enqueue: false)
                let due = Date().addingTimeInterval(4)
                try await harness.stores.postgres.execute(
                    "UPDATE deliveries SET status = 'retrying', attempts = 1, next_attempt_at = \(due)",
                    logger: harness.logger
                )
                let keys = harness.stores.redisKeys
                _ = try await harness.stores.redis.send([
                    "DEL", RedisArgument(keys.deliveryStream), RedisArgument(keys.scheduledDeliveries),
                    RedisArgument(keys.queueEpoch),
                ])
                let counts = try await harness.withWorkers { _ in
                    try await harness.waitForStatuses { $0["succeeded"] == 4 }
                }
                #expect(counts == ["succeeded": 4])
                #expect(crm.requests.count == 4)
                for request in crm.requests {
                    #expect(request.receivedAt >= due.addingTimeInterval(-0.05), "sent before its retry was due")
                }
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
                let ids = try await harness.ingest(3, source: source)
                try await harness.withWorkers { _ in
                    try await harness.waitForStatuses { $0["processing"] == 3 }
                }
                // The worker stopped after its 1 s grace: the hanging calls were abandoned and handed back.
                #expect(try await harness.statuses() == ["queued": 3])
                #expect(try await harness.count("SELECT count(*)::int FROM delivery_attempts") == 0, "an interrupted call is not an attempt")
                let entries = try await harness.stores.redis.send(["XRANGE", RedisArgument(harness.stores.redisKeys.deliveryStream), "-", "+"])
                var onStream = Set<String>()
                for entry in entries.array ?? [] {
                    let fields = entry.array?.last?.array ?? []
                    if fields.count == 2, let id = fields[1].string { onStream.insert(id) }
                }
                #expect(onStream == Set(ids.map(String.init)), "every handed-back delivery is on the stream for the next worker")
            }
        }
    }

    @Test func anImportWhoseUploadDiedIsClosedAsFailedBySweeper() async throws {
        try await WorkerTestHarness.run { harness in
            let (_, source) = try await harness.destination(.http, baseURL: nil, config: ["url": "http://127.0.0.1:1/x"], dryRun: true)
            try await harness.stores.postgres.execute(
                """
                INSERT INTO imports (tenant_id, source_id, status, rows_total, updated_at)
                VALUES (\(harness.tenant.id), \(source.id), 'receiving', 4000, now() - interval '1 hour'),
                       (\(harness.tenant.id), \(source.id), 'receiving', 10, now())
                """,
                logger: harness.logger
            )
            let closed = try await harness.withWorkers { _ in
                var closed = 0
                for _ in 0..<100 {
                    closed = try await harness.count(
                        "SELECT count(*)::int FROM imports WHERE status = 'failed' AND failure_reason LIKE 'the upload stopped%'"
                    )
                    if closed > 0 { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                return closed
            }
            #expect(closed == 1, "only the idle one")
            #expect(try await harness.count("SELECT count(*)::int FROM imports WHERE status = 'receiving'") == 1)
        }
    }

    @Test func queuedDeliveriesWhoseEnqueueWasLostAreFoundBySweeper() async throws {
        try await CRMStandIn.withRunning { crm in
            crm.setDefault(.created())
            try await WorkerTestHarness.run { harness in
                let (_, source) = try await harness.destination(.http, baseURL: nil, config: ["url": .string(crm.baseURL + "/leads")])
                // The web process died between COMMIT and the enqueue: rows `queued`, no stream entry.
                let ids = try await harness.ingest(4, source: source, enqueue: false)
                try await harness.stores.postgres.execute(
                    "UPDATE deliveries SET status = 'queued', updated_at = now() - interval '10 minutes' WHERE id = ANY(\(ids)::bigint[])",
                    logger: harness.logger
                )
                var tuning = WorkerTestHarness.fastTuning
                tuning.lostQueuedGrace = .seconds(2)
                let counts = try await harness.withWorkers(tuning: tuning) { _ in try await harness.waitForStatuses { $0["succeeded"] == 4 } }
                #expect(counts == ["succeeded": 4])
                #expect(crm.requests.count == 4)
            }
        }
    }

    /// A backlog is not a loss: rows still waiting in the stream behind the consumer group are not
    /// added again by every sweep (a million-delivery backlog used to grow by every row older than
    /// the grace on each pass); once the group has read past them, a lost row is found as before.
    @Test func aSweepDuringABacklogDoesNotAddDuplicatesOfWaitingEntries() async throws {
        try await WorkerTestHarness.run { harness in
            let (_, source) = try await harness.destination(.http, baseURL: nil, config: ["url": .string("http://127.0.0.1:9/leads")])
            let keys = harness.stores.redisKeys
            _ = try await harness.stores.redis.xgroupCreate(keys.deliveryStream, group: keys.consumerGroup, id: "0", mkstream: true)
            let ids = try await harness.ingest(6, source: source)
            // A worker read (and finished) the first two; four wait unread behind the group.
            let read = try await harness.stores.redis.xreadgroup(group: keys.consumerGroup, consumer: "c1", streams: [keys.deliveryStream], count: 2)
            #expect(read.count == 2)
            _ = try await harness.stores.redis.pipeline([
                ["XACK", RedisArgument(keys.deliveryStream), RedisArgument(keys.consumerGroup)] + read.map { RedisArgument($0.id) },
                ["XDEL", RedisArgument(keys.deliveryStream)] + read.map { RedisArgument($0.id) },
            ])
            try await harness.stores.postgres.execute(
                "UPDATE deliveries SET status = 'succeeded' WHERE id = ANY(\(Array(ids.prefix(2)))::bigint[])",
                logger: harness.logger
            )
            // The waiting rows were last touched after the group's newest read entry (as when they are enqueued
            // behind it). Their own commit is not used: it is stamped with the transaction's start, which on a
            // loaded machine can be more than the 1-s grace before its entries reach the stream.
            try await harness.stores.postgres.execute(
                "UPDATE deliveries SET updated_at = now() WHERE id = ANY(\(Array(ids.suffix(4)))::bigint[])",
                logger: harness.logger
            )
            let queue = DeliveryQueue(stores: harness.stores, logger: harness.logger)
            _ = try await harness.stores.redis.send(["SET", RedisArgument(keys.queueEpoch), "test"])
            try await Task.sleep(for: .milliseconds(1_500))

            #expect(
                try await queue.repair(pendingGrace: .seconds(15), lostQueuedGrace: .seconds(1)) == 0,
                "the four queued rows wait behind the group: not lost"
            )
            #expect(try await harness.stores.redis.send(["XLEN", RedisArgument(keys.deliveryStream)]).int == 4)

            // The group reads past them (a consumer that then died before claiming): now they count as lost.
            _ = try await harness.stores.redis.xreadgroup(group: keys.consumerGroup, consumer: "c2", streams: [keys.deliveryStream], count: 10)
            #expect(try await queue.repair(pendingGrace: .seconds(15), lostQueuedGrace: .seconds(1)) == 4)
            #expect(try await harness.stores.redis.send(["XLEN", RedisArgument(keys.deliveryStream)]).int == 8)
        }
    }
}
