import NIOSSL
import PostgresNIO

extension DatabaseConfiguration {
    /// The `PostgresClient` configuration for this database.
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
        configuration.options.minimumConnections = 0
        configuration.options.connectTimeout = .seconds(5)
        return configuration
    }

    /// A `PostgresClient` for this database; run it as a `Service`.
    public func makeClient(logger: Logger) -> PostgresClient {
        PostgresClient(configuration: makeClientConfiguration(), backgroundLogger: logger)
    }
}
