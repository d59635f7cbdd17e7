import Logging
import ServiceLifecycle
import UnixSignals
import Shared

/// Builds a worker process: the PostgreSQL and Redis clients, the HTTP client, then the
/// delivery engine, in one `ServiceGroup` that shuts down gracefully on SIGTERM/SIGINT (in
/// reverse order: the engine finishes its deliveries before the clients close). `Worker` and the
/// tests call this.
public func buildWorker(configuration: AppConfiguration, logger: Logger) -> ServiceGroup {
    let stores = DataStores(configuration: configuration, logger: logger)
    return buildWorker(configuration: configuration, stores: stores, logger: logger)
}

/// Builds a worker process on the given stores; the group runs their clients as services.
public func buildWorker(configuration: AppConfiguration, stores: DataStores, logger: Logger,
                        workerId: String? = nil, tuning: DeliveryEngineTuning = .init()) -> ServiceGroup {
    let http = HTTPClientService(concurrency: configuration.workerCount)
    let engine = DeliveryEngine(configuration: configuration, stores: stores, httpClient: http.client, logger: logger, workerId: workerId, tuning: tuning)
    let metrics = WorkerMetricsServer.build(configuration: configuration, stores: stores, logger: logger)
    return ServiceGroup(configuration: .init(
        services: stores.services.map { .init(service: $0) } + [
            .init(service: http),
            .init(service: metrics),
            .init(service: engine, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup),
        ],
        gracefulShutdownSignals: [.sigterm, .sigint],
        logger: logger
    ))
}
