import Logging
import PostgresNIO

/// The Redis side of the delivery queue (see ARCHITECTURE.md, queue protocol): a stream whose
/// entries carry delivery ids. PostgreSQL stays the truth; an entry only says "look at this one".
public struct DeliveryQueue: Sendable {
    let stores: DataStores
    let logger: Logger

    /// A queue over `stores`.
    public init(stores: DataStores, logger: Logger) {
        self.stores = stores
        self.logger = logger
    }

    /// Adds one stream entry per id with a single pipeline. Deliveries are written `queued`;
    /// those Redis did not take (or all of them, when Redis is unreachable) are marked `pending`
    /// so the sweeper enqueues them later. Throws when Redis is unreachable.
    public func enqueue(_ deliveryIds: [Int64]) async throws {
        guard !deliveryIds.isEmpty else { return }
        let stream = RedisArgument(stores.redisKeys.deliveryStream)
        let commands: [[RedisArgument]] = deliveryIds.map { ["XADD", stream, "*", "d", RedisArgument(String($0))] }
        let replies: [Result<RedisValue, RedisServerError>]
        do {
            replies = try await stores.redis.pipeline(commands)
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

    /// Marks deliveries that never reached the stream `pending` (rows already claimed are left alone).
    private func markPending(_ ids: [Int64]) async {
        do {
            try await stores.postgres.execute("""
                UPDATE deliveries SET status = 'pending', updated_at = now()
                WHERE id = ANY(\(ids)::bigint[]) AND status = 'queued'
                """, logger: logger)
        } catch {
            logger.warning("could not mark unenqueued deliveries pending; the sweeper finds them as lost queued rows",
                           metadata: ["count": "\(ids.count)", "error": "\(error)"])
        }
    }
}
