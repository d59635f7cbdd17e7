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

    /// Adds one stream entry per id with a single pipeline, then marks those rows `queued`
    /// (rows a worker already claimed are left alone). Throws when Redis is unreachable; the
    /// rows then stay `pending` and the sweeper enqueues them later.
    public func enqueue(_ deliveryIds: [Int64]) async throws {
        guard !deliveryIds.isEmpty else { return }
        let stream = RedisArgument(stores.redisKeys.deliveryStream)
        let commands: [[RedisArgument]] = deliveryIds.map { ["XADD", stream, "*", "d", RedisArgument(String($0))] }
        let replies = try await stores.redis.pipeline(commands)
        var enqueued: [Int64] = []
        enqueued.reserveCapacity(deliveryIds.count)
        for (id, reply) in zip(deliveryIds, replies) {
            if case .success = reply { enqueued.append(id) }
        }
        if enqueued.count < deliveryIds.count {
            logger.warning("some deliveries were not enqueued; the sweeper will retry them",
                           metadata: ["failed": "\(deliveryIds.count - enqueued.count)"])
        }
        guard !enqueued.isEmpty else { return }
        try await stores.postgres.execute("""
            UPDATE deliveries SET status = 'queued', updated_at = now()
            WHERE id = ANY(\(enqueued)::bigint[]) AND status = 'pending'
            """, logger: logger)
    }
}
