import Redis
import Shared

extension CommandEnvironment {
    /// Enqueues delivery ids now; if Redis is unreachable they stay queued for the worker's sweeper.
    func enqueueNow(_ ids: [Int64]) async throws {
        guard !ids.isEmpty else { return }
        _ = try? await RedisClient.withClient(configuration.redis, logger: logger) { redis in
            let stores = DataStores(postgres: postgres, redis: redis, redisKeys: RedisKeys(prefix: configuration.redisKeyPrefix))
            try await DeliveryQueue(stores: stores, logger: logger).enqueue(ids)
        }
    }
}
