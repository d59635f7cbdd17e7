import Foundation
import Logging
import PostgresNIO
import Redis

/// The repair side of the queue protocol: puts back on Redis what PostgreSQL says is open but the
/// queue lost — deliveries never enqueued (Redis was down), retries whose promotion was missed,
/// claims of workers that vanished, and, when Redis lost its data, all open work. Entries added
/// here may duplicate live ones; the claim makes duplicates harmless.
extension DeliveryQueue {
    /// One repair pass (the sweeper leader runs it): rebuilds the queue when Redis lost its data,
    /// then requeues lost work. `pending` rows older than `pendingGrace` were never enqueued;
    /// `queued` rows untouched for `lostQueuedGrace` may have lost their entry (counted from the
    /// newest entry the group has read while it is behind). Returns how many it put back.
    @discardableResult
    public func repair(pendingGrace: Duration, lostQueuedGrace: Duration) async throws -> Int {
        var repaired = 0
        if try await redisLostItsData() {
            logger.warning("Redis has no queue epoch (first start, or its data was lost): rebuilding the queue from PostgreSQL")
            repaired += try await rebuild()
        }
        repaired += try await enqueuePending(olderThanSeconds: Self.seconds(pendingGrace))
        // While the group is behind, promoted retries and steps wait in the stream: counted from what it has read.
        let readUpTo = try await backlogReadUpTo()
        repaired += try await rescheduleRetries(dueSecondsAgo: 120, notAfter: readUpTo)
        repaired += try await recoverStaleClaims(olderThanSeconds: 120)
        repaired += try await requeue(status: "queued", olderThanSeconds: Self.seconds(lostQueuedGrace), notAfter: readUpTo)
        return repaired
    }

    /// Rebuilds the queue from PostgreSQL: every `queued` delivery onto the stream, every
    /// `retrying` and `scheduled` one into the scheduled set at its own due time. Returns how many.
    @discardableResult
    public func rebuild() async throws -> Int {
        try await requeue(status: "queued", olderThanSeconds: 0) + rescheduleRetries(dueSecondsAgo: -315_360_000)
    }

    /// `duration` in seconds, as PostgreSQL's `make_interval` takes them.
    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Whether the epoch marker is missing (and sets it): Redis restarted empty or was flushed.
    private func redisLostItsData() async throws -> Bool {
        let reply = try await redis.send(["SET", RedisArgument(keys.queueEpoch), RedisArgument(UUID().uuidString), "NX"])
        return reply == .simpleString("OK")
    }

    private func ids(_ query: PostgresQuery) async throws -> [Int64] {
        var ids: [Int64] = []
        for try await id in try await stores.postgres.query(query, logger: logger).decode(Int64.self) { ids.append(id) }
        return ids
    }

    private func enqueuePending(olderThanSeconds: Double) async throws -> Int {
        let pending = try await ids(
            """
            SELECT id FROM deliveries WHERE status = 'pending' AND created_at < now() - make_interval(secs => \(olderThanSeconds))
            ORDER BY id LIMIT 5000
            """
        )
        try await enqueue(pending)
        return pending.count
    }

    /// Puts `status` rows untouched for `olderThanSeconds` — counted back from `notAfter` when that
    /// is earlier than PostgreSQL's `now()` — on the stream again (duplicates are harmless).
    private func requeue(status: String, olderThanSeconds: Double, notAfter: Date? = nil) async throws -> Int {
        var total = 0
        var after: Int64 = 0
        while true {
            let page = try await ids(
                """
                SELECT id FROM deliveries WHERE status = \(status) AND id > \(after)
                  AND updated_at < least(now(), coalesce(\(notAfter), now())) - make_interval(secs => \(olderThanSeconds))
                ORDER BY id LIMIT 5000
                """
            )
            guard let last = page.last else { return total }
            try await add(page)
            try await stores.postgres.execute(
                "UPDATE deliveries SET updated_at = now() WHERE id = ANY(\(page)::bigint[]) AND status = \(status)",
                logger: logger
            )
            total += page.count
            after = last
        }
    }

    /// Retries and sequence steps due longer than `dueSecondsAgo` — counted back from `notAfter`
    /// when that is earlier than PostgreSQL's `now()` — that are not on the stream: scheduled again
    /// at their due time (through the due-time index: waiting steps are not read).
    private func rescheduleRetries(dueSecondsAgo: Int, notAfter: Date? = nil) async throws -> Int {
        var total = 0
        var after: Int64 = 0
        while true {
            var page: [(deliveryId: Int64, due: Date)] = []
            let rows = try await stores.postgres.query(
                """
                SELECT id, coalesce(next_attempt_at, now()) FROM deliveries
                WHERE status IN ('retrying', 'scheduled') AND id > \(after)
                  AND (next_attempt_at IS NULL
                       OR next_attempt_at < least(now(), coalesce(\(notAfter), now())) - make_interval(secs => \(dueSecondsAgo)))
                ORDER BY id LIMIT 5000
                """,
                logger: logger
            )
            for try await (id, due) in rows.decode((Int64, Date).self) { page.append((id, due)) }
            guard let last = page.last else { return total }
            // Their own due time: a rebuild after Redis lost its data must not make future retries due now
            // (workers would refuse them as early and they would wait for a later sweep).
            try await schedule(page)
            total += page.count
            after = last.deliveryId
        }
    }

    /// `processing` rows whose worker vanished long ago (their stream entry is gone too): back to the
    /// queue. That worker may have sent the delivery: its duplicate window opens at its claim.
    private func recoverStaleClaims(olderThanSeconds: Int) async throws -> Int {
        let recovered = try await ids(
            """
            UPDATE deliveries SET status = 'queued', claimed_by = NULL, claimed_at = NULL, updated_at = now(),
                                  maybe_sent_since = coalesce(maybe_sent_since, updated_at)
            WHERE id IN (SELECT id FROM deliveries WHERE status = 'processing'
                         AND claimed_at < now() - make_interval(secs => \(olderThanSeconds)) ORDER BY id LIMIT 5000)
              AND status = 'processing'
            RETURNING id
            """
        )
        try await add(recovered)
        return recovered.count
    }
}
