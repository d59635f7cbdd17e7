import ArgumentParser
import Logging
import ServiceLifecycle
import Shared
import WorkerApp

/// `Worker` — the delivery worker process.
@main
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "Worker",
        abstract: "LeadRelay delivery worker: takes queued deliveries and sends them to each destination."
    )

    func run() async throws {
        let configuration = try AppConfiguration()
        LoggingBootstrap.bootstrap(level: configuration.logLevel, format: configuration.logFormat)
        MetricsBootstrap.bootstrap()
        let logger = Logger(label: "worker")
        try await buildWorker(configuration: configuration, logger: logger).run()
    }
}
