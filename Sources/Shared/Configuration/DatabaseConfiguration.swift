import Foundation

/// Where PostgreSQL is, parsed from a `postgres://user:pass@host:port/db?sslmode=…` URL.
public struct DatabaseConfiguration: Sendable, Equatable {
    /// Whether to use TLS, from the URL's `sslmode` (`disable` or `require`; `prefer` is accepted as `require`-if-offered).
    public enum TLSMode: String, Sendable, CaseIterable {
        case disable, prefer, require
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var tlsMode: TLSMode
    /// Most connections one process opens.
    public var maximumConnections: Int
    /// Connections one process keeps open at all times (``DatabaseConfiguration/makeClientConfiguration()`` explains why).
    public var minimumConnections: Int

    /// Creates a configuration from its parts.
    public init(
        host: String,
        port: Int = 5432,
        username: String,
        password: String? = nil,
        database: String,
        tlsMode: TLSMode = .disable,
        maximumConnections: Int = 20,
        minimumConnections: Int = 4
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.tlsMode = tlsMode
        self.maximumConnections = maximumConnections
        self.minimumConnections = minimumConnections
    }

    /// Parses `url`; `variable` names the setting in errors. Errors never echo the URL (it holds a password).
    public init(url: String, variable: String = "DATABASE_URL") throws(ConfigurationError) {
        let expected = "must look like postgres://user:password@host:5432/database[?sslmode=disable|require]"
        guard let components = URLComponents(string: url),
            let scheme = components.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql",
            let host = components.host, !host.isEmpty,
            let user = components.user, !user.isEmpty
        else { throw ConfigurationError(variable: variable, expected: expected) }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            throw ConfigurationError(variable: variable, expected: "names no database; \(expected)")
        }
        var tlsMode = TLSMode.disable
        for item in components.queryItems ?? [] where item.name == "sslmode" {
            switch item.value?.lowercased() {
            case "disable", "allow": tlsMode = .disable
            case "prefer": tlsMode = .prefer
            case "require", "verify-ca", "verify-full": tlsMode = .require
            default: throw ConfigurationError(variable: variable, expected: "has an unknown sslmode; use disable or require")
            }
        }
        self.init(
            host: host,
            port: components.port ?? 5432,
            username: user.removingPercentEncoding ?? user,
            password: components.password.map { $0.removingPercentEncoding ?? $0 },
            database: database.removingPercentEncoding ?? database,
            tlsMode: tlsMode
        )
    }

    /// The same URL with a new database name (tests create one database per suite).
    public func with(database: String) -> DatabaseConfiguration {
        var copy = self
        copy.database = database
        return copy
    }
}
