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
    let http = HTTPClientService(concurrency: configuration.workerCount, policy: configuration.outboundPolicy)
    let engine = DeliveryEngine(configuration: configuration, stores: stores, httpClient: http.client, logger: logger, workerId: workerId, tuning: tuning)
    let metrics = WorkerMetricsServer(configuration: configuration, stores: stores, logger: logger)
    var group = ServiceGroupConfiguration(
        services: stores.services.map { .init(service: $0) } + [
            .init(service: http),
            // Ends the worker only when the port METRICS_PORT names is taken; see WorkerMetricsServer.
            .init(service: metrics, failureTerminationBehavior: .gracefullyShutdownGroup),
            .init(service: engine, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup),
        ],
        gracefulShutdownSignals: [.sigterm, .sigint],
        logger: logger
    )
    // A SIGTERM must end the process. The engine hands its deliveries back within `shutdownGrace`;
    // if the rest is still running 30 s later (a PostgresClient whose run() did not return once it was
    // cancelled hung test runs: docs/resilience.md, finding 9), the group cancels everything, and a
    // service that ignores cancellation for 10 s more ends the process with a fatal error.
    group.maximumGracefulShutdownDuration = tuning.shutdownGrace + .seconds(30)
    group.maximumCancellationDuration = .seconds(10)
    return ServiceGroup(configuration: group)
}
