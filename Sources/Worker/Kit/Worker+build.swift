import Logging
import ServiceLifecycle
import UnixSignals
import Shared

/// Builds a worker process: the PostgreSQL and Redis clients, then the delivery engine, in one
/// `ServiceGroup` that shuts down gracefully on SIGTERM/SIGINT. `Worker` and the tests call this.
public func buildWorker(configuration: AppConfiguration, logger: Logger) -> ServiceGroup {
    let stores = DataStores(configuration: configuration, logger: logger)
    return buildWorker(configuration: configuration, stores: stores, logger: logger)
}

/// Builds a worker process on the given stores; the group runs their clients as services.
public func buildWorker(configuration: AppConfiguration, stores: DataStores, logger: Logger) -> ServiceGroup {
    let engine = DeliveryEngine(configuration: configuration, stores: stores, logger: logger)
    return ServiceGroup(configuration: .init(
        services: stores.services.map { .init(service: $0) } + [
            .init(service: engine, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup),
        ],
        gracefulShutdownSignals: [.sigterm, .sigint],
        logger: logger
    ))
}
