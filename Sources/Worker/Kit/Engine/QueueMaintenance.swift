import Foundation
import Logging
import PostgresNIO
import Shared

/// The repair side of the queue protocol. Any worker moves due retries from the scheduled set to
/// the stream (one atomic script); one elected worker at a time (a PostgreSQL advisory lock)
/// sweeps for deliveries the queue lost: never enqueued (Redis was down), retries whose
/// promotion was missed, claims of workers that vanished, and — when Redis lost its data — all
/// open work, rebuilt from PostgreSQL.
struct QueueMaintenance: Sendable {
    let stores: DataStores
    /// `pending` rows older than this were never enqueued.
    let pendingGrace: Duration
    /// `queued` rows untouched this long may have lost their stream entry.
    let lostQueuedGrace: Duration
    let logger: Logger
    /// Advisory lock key of the sweeper leader ("LRSWEEP").
    static let leaderLockKey: Int64 = 0x4C52_5357_4545_50

    /// KEYS[1] = scheduled set, KEYS[2] = stream; ARGV[1] = most members to move.
    static let promoteScript = RedisScript("""
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
        for _, id in ipairs(due) do
            redis.call('XADD', KEYS[2], '*', 'd', id)
        end
        if #due > 0 then
            redis.call('ZREM', KEYS[1], unpack(due))
        end
        return #due
        """)

    /// Moves every due retry to the stream; returns how many moved.
    @discardableResult
    func promoteDueRetries() async throws -> Int {
        var moved = 0
        while true {
            let reply = try await stores.redis.evalScript(
                Self.promoteScript,
                keys: [RedisArgument(stores.redisKeys.scheduledDeliveries), RedisArgument(stores.redisKeys.deliveryStream)],
                arguments: [500])
            let count = reply.int ?? 0
            moved += count
            if count < 500 { return moved }
        }
    }

    /// One sweep, run by the leader. Returns how many deliveries it put back in the queue.
    @discardableResult
    func sweep() async throws -> Int {
        var repaired = 0
        if try await redisLostItsData() {
            logger.warning("Redis has no queue epoch (first start, or its data was lost): rebuilding the queue from PostgreSQL")
            repaired += try await requeue(status: "queued", olderThanSeconds: 0)
            repaired += try await rescheduleRetries(dueSecondsAgo: -315_360_000)
        }
        repaired += try await enqueuePending(olderThanSeconds: pendingGrace.seconds)
        repaired += try await rescheduleRetries(dueSecondsAgo: 120)
        repaired += try await recoverStaleClaims(olderThanSeconds: 120)
        repaired += try await requeue(status: "queued", olderThanSeconds: lostQueuedGrace.seconds, notAfter: try await backlogReadUpTo())
        // Imports whose upload died with a web process: say so instead of "receiving" forever.
        let abandoned = try await ImportStore(client: stores.postgres, logger: logger).failAbandoned(idleFor: .seconds(600))
        if abandoned > 0 { logger.warning("closed imports whose upload stopped", metadata: ["count": "\(abandoned)"]) }
        if repaired > 0 { logger.info("sweeper repaired the queue", metadata: ["deliveries": "\(repaired)"]) }
        return repaired
    }

    /// Whether the epoch marker is missing (and sets it): Redis restarted empty or was flushed.
    private func redisLostItsData() async throws -> Bool {
        let reply = try await stores.redis.send(["SET", RedisArgument(stores.redisKeys.queueEpoch), RedisArgument(UUID().uuidString), "NX"])
        return reply == .simpleString("OK")
    }

    private func ids(_ query: PostgresQuery) async throws -> [Int64] {
        var ids: [Int64] = []
        for try await id in try await stores.postgres.query(query, logger: logger).decode(Int64.self) { ids.append(id) }
        return ids
    }

    private func xadd(_ ids: [Int64]) async throws {
        guard !ids.isEmpty else { return }
        let stream = RedisArgument(stores.redisKeys.deliveryStream)
        _ = try await stores.redis.pipeline(ids.map { ["XADD", stream, "*", "d", RedisArgument(String($0))] })
    }

    private func enqueuePending(olderThanSeconds: Double) async throws -> Int {
        let pending = try await ids("""
            SELECT id FROM deliveries WHERE status = 'pending' AND created_at < now() - make_interval(secs => \(olderThanSeconds))
            ORDER BY id LIMIT 5000
            """)
        try await DeliveryQueue(stores: stores, logger: logger).enqueue(pending)
        return pending.count
    }

    /// Puts `status` rows untouched for `olderThanSeconds` — counted back from `notAfter` when that
    /// is earlier than PostgreSQL's `now()` — on the stream again (duplicates are harmless).
    private func requeue(status: String, olderThanSeconds: Double, notAfter: Date? = nil) async throws -> Int {
        var total = 0
        var after: Int64 = 0
        while true {
            let page = try await ids("""
                SELECT id FROM deliveries WHERE status = \(status) AND id > \(after)
                  AND updated_at < least(now(), coalesce(\(notAfter), now())) - make_interval(secs => \(olderThanSeconds))
                ORDER BY id LIMIT 5000
                """)
            guard let last = page.last else { return total }
            try await xadd(page)
            try await stores.postgres.execute("UPDATE deliveries SET updated_at = now() WHERE id = ANY(\(page)::bigint[]) AND status = \(status)", logger: logger)
            total += page.count
            after = last
        }
    }

    /// Retries due longer than `dueSecondsAgo` that are not on the stream: scheduled again at their due time.
    private func rescheduleRetries(dueSecondsAgo: Int) async throws -> Int {
        var total = 0
        var after: Int64 = 0
        while true {
            var page: [(Int64, Int)] = []
            let rows = try await stores.postgres.query("""
                SELECT id, (extract(epoch FROM coalesce(next_attempt_at, now())) * 1000)::bigint FROM deliveries
                WHERE status = 'retrying' AND id > \(after)
                  AND coalesce(next_attempt_at, now()) < now() - make_interval(secs => \(dueSecondsAgo))
                ORDER BY id LIMIT 5000
                """, logger: logger)
            for try await (id, due) in rows.decode((Int64, Int).self) { page.append((id, due)) }
            guard let last = page.last else { return total }
            var command: [RedisArgument] = ["ZADD", RedisArgument(stores.redisKeys.scheduledDeliveries)]
            // Their own due time: a rebuild after Redis lost its data must not make future retries due now
            // (workers would refuse them as early and they would wait for a later sweep).
            for (id, due) in page { command += [RedisArgument(due), RedisArgument(String(id))] }
            _ = try await stores.redis.send(command)
            total += page.count
            after = last.0
        }
    }

    /// `processing` rows whose worker vanished long ago (their stream entry is gone too): back to the queue.
    private func recoverStaleClaims(olderThanSeconds: Int) async throws -> Int {
        let recovered = try await ids("""
            UPDATE deliveries SET status = 'queued', claimed_by = NULL, claimed_at = NULL, updated_at = now()
            WHERE id IN (SELECT id FROM deliveries WHERE status = 'processing'
                         AND claimed_at < now() - make_interval(secs => \(olderThanSeconds)) ORDER BY id LIMIT 5000)
              AND status = 'processing'
            RETURNING id
            """)
        try await xadd(recovered)
        return recovered.count
    }
}
