import Logging
import ServiceLifecycle
import Shared
import UnixSignals

/// Builds a worker process: the PostgreSQL and Redis clients, the HTTP client, then the
/// delivery engine, in one `ServiceGroup` that shuts down gracefully on SIGTERM/SIGINT (in
/// reverse order: the engine finishes its deliveries before the clients close). `Worker` and the
/// tests call this.
public func buildWorker(configuration: AppConfiguration, logger: Logger) -> ServiceGroup {
    let stores = DataStores(configuration: configuration, logger: logger)
    return buildWorker(configuration: configuration, stores: stores, logger: logger)
}

/// Builds a worker process on the given stores; the group runs their clients as services.
///
/// The services, in dependency order (each starts once what it needs runs; shutdown goes
/// backwards, each one finished before the next is told):
/// 1. the PostgreSQL and Redis clients, the outbound HTTP client, the metrics listener;
/// 2. ``WorkerStartup``: migrations and the consumer group; the services below wait for it;
/// 3. ``HeartbeatPublisher`` (stops after the engine, so it reports the deliveries being finished);
/// 4. ``ScheduledDeliveryPromoter``, ``QueueSweeper``, ``InboundFetcher``, ``SourcePoller``;
/// 5. ``DeliveryEngine``: told first on SIGTERM, it hands back what it cannot finish in time.
public func buildWorker(
    configuration: AppConfiguration,
    stores: DataStores,
    logger: Logger,
    workerId: String? = nil,
    tuning: DeliveryEngineTuning = .init()
) -> ServiceGroup {
    let workerId = workerId ?? DeliveryEngine.makeWorkerId()
    var workerLogger = logger
    workerLogger[metadataKey: "worker_id"] = "\(workerId)"
    let http = HTTPClientService(concurrency: configuration.workerCount, policy: configuration.outboundPolicy)
    let metrics = WorkerMetricsServer(configuration: configuration, stores: stores, logger: logger)
    let queue = DeliveryQueue(stores: stores, logger: workerLogger)
    let startup = WorkerStartup(configuration: configuration, stores: stores, queue: queue, logger: workerLogger)
    let slots = DeliverySlots(capacity: configuration.workerCount)
    let engine = DeliveryEngine(
        configuration: configuration,
        stores: stores,
        queue: queue,
        httpClient: http.client,
        slots: slots,
        startup: startup,
        logger: workerLogger,
        workerId: workerId,
        tuning: tuning
    )
    let workerServices: [any Service] = [
        HeartbeatPublisher(workerId: workerId, stores: stores, slots: slots, startup: startup, logger: workerLogger),
        ScheduledDeliveryPromoter(queue: queue, startup: startup, every: tuning.promoteEvery, logger: workerLogger),
        SequenceScheduler(stores: stores, queue: queue, startup: startup, tuning: tuning, logger: workerLogger),
        QueueSweeper(queue: queue, stores: stores, tuning: tuning, startup: startup, logger: workerLogger),
        InboundFetcher(
            stores: stores,
            secretBox: configuration.secretBox,
            httpClient: http.client,
            queue: queue,
            startup: startup,
            logger: workerLogger
        ),
        SourcePoller(
            stores: stores,
            secretBox: configuration.secretBox,
            httpClient: http.client,
            queue: queue,
            startup: startup,
            workerId: workerId,
            tuning: tuning,
            logger: workerLogger
        ),
        engine,
    ]
    var group = ServiceGroupConfiguration(
        services: stores.services.map { .init(service: $0) } + [
            .init(service: http),
            // Ends the worker only when the port METRICS_PORT names is taken; see WorkerMetricsServer.
            .init(service: metrics, failureTerminationBehavior: .gracefullyShutdownGroup),
            .init(service: startup, failureTerminationBehavior: .gracefullyShutdownGroup),
        ]
            + workerServices.map {
                .init(service: $0, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup)
            },
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
