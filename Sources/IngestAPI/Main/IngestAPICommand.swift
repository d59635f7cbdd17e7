import ArgumentParser
import Hummingbird
import IngestAPIApp
import Logging
import NIOCore
import NIOPosix
import Shared

/// `IngestAPI` — the HTTP ingestion server (`serve`, the default) and `migrate`.
@main
struct IngestAPICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "IngestAPI",
        abstract: "LeadRelay ingestion API: accepts leads, stores them, queues their delivery.",
        subcommands: [Serve.self, Migrate.self],
        defaultSubcommand: Serve.self
    )

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run the HTTP server (reads PORT, HOST, DATABASE_URL, REDIS_URL…).")

        func run() async throws {
            // Swift Concurrency runs on NIO's event loops, so a handler awaiting PostgreSQL resumes on
            // the thread that read the answer instead of waking a second thread per round trip:
            // at 500 webhooks/s this took 5–10 % off the web process's CPU per request. Nothing in
            // this process blocks a thread (Redis and bcrypt run on their own thread pools).
            // Must run before any other concurrency work; it reports whether it could.
            let onEventLoops = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
            let configuration = try AppConfiguration()
            LoggingBootstrap.bootstrap(level: configuration.logLevel, format: configuration.logFormat)
            MetricsBootstrap.bootstrap()
            let logger = Logger(label: "web")
            logger.debug("concurrency executor", metadata: ["nio_event_loops": "\(onEventLoops)"])
            let app = buildApplication(configuration: configuration, logger: logger)
            try await app.runService()
        }
    }

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Apply pending database migrations and exit.")

        func run() async throws {
            let configuration = try AppConfiguration()
            LoggingBootstrap.bootstrap(level: configuration.logLevel, format: configuration.logFormat)
            let logger = Logger(label: "migrate")
            let applied = try await runMigrations(configuration: configuration, logger: logger)
            print(applied.isEmpty ? "database is up to date" : "applied: \(applied.joined(separator: ", "))")
        }
    }
}
