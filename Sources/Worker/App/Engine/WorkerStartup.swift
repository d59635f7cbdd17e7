import Logging
import ServiceLifecycle
import Shared

/// The worker's first step, as a service of its own: applies the migrations (when
/// `MIGRATE_ON_BOOT` is set) and creates the queue's consumer group, then lets every service
/// that needs them — engine, promoter, sweeper, heartbeat, webhook fetcher — start
/// (``waitUntilReady()``). Then it idles until the worker stops; a failure ends the worker.
final class WorkerStartup: Service, Sendable {
    let configuration: AppConfiguration
    let stores: DataStores
    let queue: DeliveryQueue
    let logger: Logger
    private let ready = OneShotSignal()

    init(configuration: AppConfiguration, stores: DataStores, queue: DeliveryQueue, logger: Logger) {
        self.configuration = configuration
        self.stores = stores
        self.queue = queue
        self.logger = logger
    }

    func run() async throws {
        try await stores.migrateIfEnabled(configuration: configuration, logger: logger)
        try await queue.ensureGroup()
        logger.info("worker ready", metadata: ["concurrency": "\(configuration.workerCount)"])
        ready.fire()
        // Stay until told to stop: a service that ends while the group shuts the others down
        // (a slow start overtaken by SIGTERM) makes the group fail the whole shutdown.
        try? await gracefulShutdown()
    }

    /// Runs `body` once the worker is ready, until it returns or a graceful shutdown or
    /// cancellation cancels it: the loop of a service that needs the database and the queue.
    func whenReady(_ body: @escaping @Sendable () async -> Void) async {
        _ = try? await cancelWhenGracefulShutdown {
            guard await self.waitUntilReady() else { return }
            await body()
        }
    }

    /// Returns true once the worker is ready, false if the task is cancelled first (a graceful
    /// shutdown before the start finished). Never returns while a failed start ends the worker.
    func waitUntilReady() async -> Bool {
        await ready.wait()
    }
}
