import NIOSSL
import PostgresNIO

extension DatabaseConfiguration {
    /// How long a pooled connection stays idle before a keep-alive `SELECT 1` checks it.
    public static let keepAliveInterval: Duration = .seconds(10)

    /// The `PostgresClient` configuration for this database.
    ///
    /// Pool timers are set for a process that runs hundreds of statements a second. Each time a
    /// connection goes back to idle — after every statement — PostgresNIO arms a keep-alive timer
    /// and, for a connection above the minimum, an idle-timeout timer (60 s) with `Task.sleep`, and
    /// cancels them when the connection is leased again; on Linux a cancelled `Task.sleep` keeps its
    /// dispatch timer and task until the original deadline. With PostgresNIO's defaults (no
    /// minimum, keep-alive every 30 s) a Worker committing 250 statements/s held about 22,000 such
    /// dead timers (16 MB by jemalloc's heap profile), a heap that grew with throughput for a
    /// minute. So the first ``minimumConnections`` connections stay open (no idle timer), and the
    /// keep-alive runs after ``keepAliveInterval`` idle: a tenth of the residue, settled within 10 s,
    /// for one `SELECT 1` per idle connection per 10 s.
    public func makeClientConfiguration() -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS
        switch tlsMode {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(.makeClientConfiguration())
        case .require: tls = .require(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tls)
        configuration.options.maximumConnections = maximumConnections
        configuration.options.minimumConnections = minimumConnections
        configuration.options.keepAliveBehavior = .init(frequency: Self.keepAliveInterval)
        configuration.options.connectTimeout = .seconds(5)
        return configuration
    }

    /// A `PostgresClient` for this database; run it as a `Service`.
    public func makeClient(logger: Logger) -> PostgresClient {
        PostgresClient(configuration: makeClientConfiguration(), backgroundLogger: logger)
    }
}
