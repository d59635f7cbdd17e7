import Foundation
import PostgresNIO
import Redis
import Shared
import Testing

/// The queue module against real Redis and PostgreSQL: the entry format, reading, taking over a
/// dead consumer's entries, settling, scheduling at a time T, and the rebuild from PostgreSQL.
/// Time is driven by passing `now` to ``DeliveryQueue/promoteDue(now:)``; nothing here sleeps.
@Suite("Delivery queue")
struct DeliveryQueueTests {
    /// Runs `body` with a queue (group created) over a fresh harness.
    private func withQueue(_ body: @escaping @Sendable (DeliveryQueue, WorkerTestHarness) async throws -> Void) async throws {
        try await WorkerTestHarness.run { harness in
            let queue = DeliveryQueue(stores: harness.stores, logger: harness.logger)
            try await queue.ensureGroup()
            try await body(queue, harness)
        }
    }

    /// Reads whatever is waiting (the entries are on the stream already; the short wait only ends an empty read).
    private func readAll(_ queue: DeliveryQueue, as consumer: String = "reader") async throws -> [DeliveryQueue.Entry] {
        try await queue.read(consumer: consumer, count: 100, waitingUpTo: .milliseconds(1))
    }

    /// The raw stream as `[field, value, …]` per entry.
    private func rawFields(_ harness: WorkerTestHarness) async throws -> [[String]] {
        let reply = try await harness.stores.redis.send(["XRANGE", RedisArgument(harness.stores.redisKeys.deliveryStream), "-", "+"])
        return (reply.array ?? []).map { entry in (entry.array?.last?.array ?? []).compactMap(\.string) }
    }

    private func count(_ command: [RedisArgument], _ harness: WorkerTestHarness) async throws -> Int {
        try await harness.stores.redis.send(command).int ?? -1
    }

    @Test(arguments: [Int64(1), 9_007_199_254_740_993, Int64.max])
    func anEnqueuedIdComesBackFromARead(deliveryId: Int64) async throws {
        try await withQueue { queue, harness in
            try await queue.enqueue([deliveryId])
            #expect(try await rawFields(harness) == [["d", String(deliveryId)]], "the entry format: one field d = the id")
            let entries = try await readAll(queue)
            #expect(entries.map(\.deliveryId) == [deliveryId])
            #expect(entries.first?.id.contains("-") == true, "a stream entry id")
        }
    }

    @Test func anEntryNamingNoDeliveryIsReadWithoutAnId() async throws {
        try await withQueue { queue, harness in
            _ = try await harness.stores.redis.send(["XADD", RedisArgument(harness.stores.redisKeys.deliveryStream), "*", "x", "junk"])
            _ = try await harness.stores.redis.send(["XADD", RedisArgument(harness.stores.redisKeys.deliveryStream), "*", "d", "not-a-number"])
            let entries = try await readAll(queue)
            #expect(entries.count == 2)
            #expect(entries.allSatisfy { $0.deliveryId == nil })
        }
    }

    @Test func aReadRecreatesAGroupRedisLost() async throws {
        try await withQueue { queue, harness in
            _ = try await harness.stores.redis.send(["DEL", RedisArgument(harness.stores.redisKeys.deliveryStream)])
            #expect(try await readAll(queue).isEmpty)
            try await queue.enqueue([7])
            #expect(try await readAll(queue).map(\.deliveryId) == [7], "the group exists again")
        }
    }

    @Test func anEntryOfADeadConsumerIsTakenOverOnlyOnceIdleLongEnough() async throws {
        try await withQueue { queue, harness in
            try await queue.enqueue([11, 12])
            let read = try await readAll(queue, as: "dead-worker")
            #expect(read.map(\.deliveryId) == [11, 12])
            #expect(try await queue.reclaim(consumer: "live-worker", idleFor: .seconds(3_600), count: 10).isEmpty, "not idle for an hour")
            let taken = try await queue.reclaim(consumer: "live-worker", idleFor: .zero, count: 10)
            #expect(taken == read, "the same entries, now the live worker's")
            let keys = harness.stores.redisKeys
            let pending = try await harness.stores.redis.send(["XPENDING", RedisArgument(keys.deliveryStream), RedisArgument(keys.consumerGroup)])
            let consumers = pending.array?.last?.array?.compactMap { $0.array?.first?.string }
            #expect(consumers == ["live-worker"])
        }
    }

    @Test func acknowledgedEntriesLeaveTheStreamAndThePendingList() async throws {
        try await withQueue { queue, harness in
            try await queue.enqueue([21, 22, 23])
            let read = try await readAll(queue)
            try await queue.acknowledge(read.prefix(2).map(\.id))
            let keys = harness.stores.redisKeys
            #expect(try await rawFields(harness) == [["d", "23"]])
            let pending = try await harness.stores.redis.send(["XPENDING", RedisArgument(keys.deliveryStream), RedisArgument(keys.consumerGroup)])
            #expect(pending.array?.first?.int == 1, "only the unacknowledged entry is pending")
        }
    }

    @Test func aHandedBackDeliveryIsReadAgain() async throws {
        try await withQueue { queue, _ in
            try await queue.enqueue([31])
            let first = try await readAll(queue, as: "stopping-worker")
            try await queue.handBack([31])
            try await queue.acknowledge(first.map(\.id))
            let again = try await readAll(queue, as: "next-worker")
            #expect(again.map(\.deliveryId) == [31])
            #expect(again.map(\.id) != first.map(\.id), "a fresh entry")
        }
    }

    /// A batch's settlement (the worker's one round trip) acknowledges, schedules and hands back together.
    @Test func aSettlementDoesItAllInOnePipeline() async throws {
        try await withQueue { queue, harness in
            try await queue.enqueue([41, 42, 43])
            let read = try await readAll(queue)
            let due = Date(timeIntervalSince1970: 4_000_000_000)
            var settlement = DeliveryQueue.Settlement()
            settlement.acknowledge(read.map(\.id))
            settlement.schedule(42, at: due)
            settlement.handBack(43)
            try await queue.settle(settlement)
            #expect(try await rawFields(harness) == [["d", "43"]])
            let scheduled = try await harness.stores.redis.send(
                ["ZRANGE", RedisArgument(harness.stores.redisKeys.scheduledDeliveries), "0", "-1", "WITHSCORES"])
            #expect(scheduled.array?.compactMap(\.string) == ["42", "4000000000000"])
        }
    }

    @Test func aDeliveryScheduledAtTIsNotReadableBeforeTAndIsAfterPromotion() async throws {
        try await withQueue { queue, harness in
            let now = Date(timeIntervalSince1970: 1_900_000_000)
            let due = now.addingTimeInterval(90)
            try await queue.schedule(51, at: due)
            try await queue.schedule([(52, now.addingTimeInterval(30)), (53, due.addingTimeInterval(1))])

            #expect(try await queue.promoteDue(now: now) == 0)
            #expect(try await readAll(queue).isEmpty, "nothing is due yet")
            #expect(try await queue.promoteDue(now: due.addingTimeInterval(-1)) == 1, "52, due at now + 30 s")
            #expect(try await readAll(queue).map(\.deliveryId) == [52])
            #expect(try await queue.promoteDue(now: due) == 1, "51, due at T exactly; 53 is a second later")
            #expect(try await readAll(queue).map(\.deliveryId) == [51])
            #expect(try await queue.promoteDue(now: due) == 0, "promoted once only")
            #expect(try await count(["ZCARD", RedisArgument(harness.stores.redisKeys.scheduledDeliveries)], harness) == 1)
        }
    }

    @Test func schedulingAgainMovesTheDueTime() async throws {
        try await withQueue { queue, _ in
            let now = Date(timeIntervalSince1970: 1_900_000_000)
            try await queue.schedule(61, at: now)
            try await queue.schedule(61, at: now.addingTimeInterval(600))
            #expect(try await queue.promoteDue(now: now) == 0)
            #expect(try await queue.promoteDue(now: now.addingTimeInterval(600)) == 1)
            #expect(try await readAll(queue).map(\.deliveryId) == [61])
        }
    }

    /// Without `now`, the Redis server's clock decides: a delivery an hour out stays, one an hour ago moves.
    @Test func promotionUsesTheRedisClockByDefault() async throws {
        try await withQueue { queue, _ in
            try await queue.schedule([(71, Date().addingTimeInterval(3_600)), (72, Date().addingTimeInterval(-3_600))])
            #expect(try await queue.promoteDue() == 1)
            #expect(try await readAll(queue).map(\.deliveryId) == [72])
        }
    }

    /// Redis lost everything: `queued` rows go back on the stream, `retrying` ones into the
    /// scheduled set at their own due time, and the rest (pending, done) is left alone.
    @Test func theQueueIsRebuiltFromPostgreSQL() async throws {
        try await withQueue { queue, harness in
            let (_, source) = try await harness.destination(.http, baseURL: nil, config: ["url": "http://127.0.0.1:9/leads"])
            let ids = try await harness.ingest(6, source: source, enqueue: false).sorted()
            let queued = Array(ids[0..<3])
            let retrying = Array(ids[3..<5])
            let due = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 3_600).rounded(.down))
            try await harness.stores.postgres.execute(
                """
                UPDATE deliveries SET status = 'queued', updated_at = now() - interval '1 minute' WHERE id = ANY(\(queued)::bigint[])
                """,
                logger: harness.logger
            )
            try await harness.stores.postgres.execute(
                "UPDATE deliveries SET status = 'retrying', next_attempt_at = \(due) WHERE id = ANY(\(retrying)::bigint[])",
                logger: harness.logger
            )
            let keys = harness.stores.redisKeys
            _ = try await harness.stores.redis.send(["DEL", RedisArgument(keys.deliveryStream), RedisArgument(keys.scheduledDeliveries)])
            try await queue.ensureGroup()

            #expect(try await queue.rebuild() == 5)
            #expect(try await readAll(queue).compactMap(\.deliveryId) == queued)
            let scheduled = try await harness.stores.redis.send(["ZRANGE", RedisArgument(keys.scheduledDeliveries), "0", "-1", "WITHSCORES"])
            let score = String(Int64(due.timeIntervalSince1970) * 1000)
            #expect(scheduled.array?.compactMap(\.string) == [String(retrying[0]), score, String(retrying[1]), score])
            #expect(try await queue.promoteDue(now: due.addingTimeInterval(-1)) == 0, "not before their own due time")
            #expect(try await queue.promoteDue(now: due) == 2)
            #expect(try await readAll(queue).compactMap(\.deliveryId) == retrying)
        }
    }

    /// A missing epoch (Redis restarted empty) makes the sweeper's repair rebuild; the next repair does not.
    @Test func aRepairRebuildsOnlyWhenTheEpochIsMissing() async throws {
        try await withQueue { queue, harness in
            let (_, source) = try await harness.destination(.http, baseURL: nil, config: ["url": "http://127.0.0.1:9/leads"])
            let ids = try await harness.ingest(2, source: source, enqueue: false)
            try await harness.stores.postgres.execute(
                "UPDATE deliveries SET status = 'queued' WHERE id = ANY(\(ids)::bigint[])",
                logger: harness.logger
            )
            #expect(try await queue.repair(pendingGrace: .seconds(3_600), lostQueuedGrace: .seconds(3_600)) == 2)
            #expect(try await queue.repair(pendingGrace: .seconds(3_600), lostQueuedGrace: .seconds(3_600)) == 0)
            #expect(Set(try await readAll(queue).compactMap(\.deliveryId)) == Set(ids))
        }
    }
}
