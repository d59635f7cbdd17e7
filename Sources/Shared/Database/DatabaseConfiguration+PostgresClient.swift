import NIOSSL
import PostgresNIO

extension DatabaseConfiguration {
    /// The `PostgresClient` configuration for this database.
    ///
    /// Pool timers are set for a process that runs hundreds of statements a second. Each time a
    /// connection goes back to idle — after every statement — PostgresNIO arms a keep-alive timer
    /// and, for a connection above the minimum, an idle-timeout timer (60 s) with `Task.sleep`, and
    /// cancels them when the connection is leased again; on Linux a cancelled `Task.sleep` keeps its
    /// dispatch timer and task until the original deadline. With PostgresNIO's defaults (no
    /// minimum, keep-alive every 30 s) a Worker committing 250 statements/s held about 22,000 such
    /// dead timers (16 MB by jemalloc's heap profile), a heap that grew with throughput for a
    /// minute. So the first ``minimumConnections`` connections stay open (no idle timer), and there
    /// is no pool keep-alive: with a 10-s keep-alive, `PostgresClient.run()` sometimes never returned
    /// after cancellation (three clients of one test run, and an application's shutdown, hung with
    /// their sockets closed; with the keep-alive off the same suite ran clean and 5x faster:
    /// docs/resilience.md, finding 9). A connection the server closes is noticed by its socket; a
    /// statement on one that died silently fails as a connection problem (the API answers 503 with
    /// `Retry-After`, the Worker commits its results again: ``DatabaseFailure/unavailable``).
    public func makeClientConfiguration() -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS
        switch tlsMode {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(.makeClientConfiguration())
        case .require: tls = .require(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(
            host: host,
            port: port,
            username: username,
            password: password,
            database: database,
            tls: tls
        )
        configuration.options.maximumConnections = maximumConnections
        configuration.options.minimumConnections = minimumConnections
        configuration.options.keepAliveBehavior = nil
        configuration.options.connectTimeout = .seconds(5)
        return configuration
    }

    /// A `PostgresClient` for this database; run it as a `Service`.
    public func makeClient(logger: Logger) -> PostgresClient {
        PostgresClient(configuration: makeClientConfiguration(), backgroundLogger: logger)
    }
}
