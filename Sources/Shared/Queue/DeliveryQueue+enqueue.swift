import Logging
import PostgresNIO
import Redis

extension DeliveryQueue {
    /// Adds one stream entry per id with a single pipeline. Deliveries are written `queued`;
    /// those Redis did not take (or all of them, when Redis is unreachable) are marked `pending`
    /// so the sweeper enqueues them later. Throws when Redis is unreachable.
    public func enqueue(_ deliveryIds: [Int64]) async throws {
        guard !deliveryIds.isEmpty else { return }
        let replies: [Result<RedisValue, RedisServerError>]
        do {
            replies = try await redis.pipeline(deliveryIds.map(addCommand))
        } catch {
            await markPending(deliveryIds)
            throw error
        }
        var failed: [Int64] = []
        for (id, reply) in zip(deliveryIds, replies) {
            if case .failure = reply { failed.append(id) }
        }
        if !failed.isEmpty {
            logger.warning("some deliveries were not enqueued; the sweeper will retry them", metadata: ["failed": "\(failed.count)"])
            await markPending(failed)
        }
    }

    /// Adds one stream entry per id with a single pipeline, leaving PostgreSQL alone (the rows
    /// already say what they are; a failure is found by the next repair).
    func add(_ deliveryIds: [Int64]) async throws {
        guard !deliveryIds.isEmpty else { return }
        _ = try await redis.pipeline(deliveryIds.map(addCommand))
    }

    /// Marks deliveries that never reached the stream `pending` (rows already claimed are left alone).
    private func markPending(_ ids: [Int64]) async {
        do {
            try await stores.postgres.execute(
                """
                UPDATE deliveries SET status = 'pending', updated_at = now()
                WHERE id = ANY(\(ids)::bigint[]) AND status = 'queued'
                """,
                logger: logger
            )
        } catch {
            logger.warning(
                "could not mark unenqueued deliveries pending; the sweeper finds them as lost queued rows",
                metadata: ["count": "\(ids.count)", "error": "\(error)"]
            )
        }
    }
}
