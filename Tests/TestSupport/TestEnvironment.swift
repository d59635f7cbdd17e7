import Foundation
import Logging
import PostgresNIO
import Redis
import Shared

/// Access to the throw-away PostgreSQL and Redis servers that `scripts/test` starts
/// (`TEST_DATABASE_URL`, `TEST_REDIS_URL`). Every suite gets its own database and its own Redis
/// key prefix, so suites run in parallel and leave nothing behind.
public enum TestEnvironment {
    /// Why a test cannot run: the servers are missing. Run the tests with `scripts/test`.
    public struct MissingServer: Error, CustomStringConvertible {
        public var description: String
    }

    /// A logger for tests (level from `LOG_LEVEL`, default warning).
    public static var logger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        return logger
    }

    /// The server's maintenance database (`postgres`), from `TEST_DATABASE_URL`.
    public static func serverDatabase() throws -> DatabaseConfiguration {
        guard let url = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"] else {
            throw MissingServer(description: "TEST_DATABASE_URL is not set: run the tests with scripts/test")
        }
        var configuration = try DatabaseConfiguration(url: url, variable: "TEST_DATABASE_URL")
        // Tests open hundreds of short-lived clients in parallel: keep one connection each, not four.
        configuration.minimumConnections = 1
        return configuration
    }

    /// The Redis server, from `TEST_REDIS_URL`.
    public static func redisConfiguration() throws -> RedisConfiguration {
        guard let url = ProcessInfo.processInfo.environment["TEST_REDIS_URL"] else {
            throw MissingServer(description: "TEST_REDIS_URL is not set: run the tests with scripts/test")
        }
        return try RedisConfiguration(url: url)
    }

    /// Path of the repository root (the folder holding Package.swift).
    public static var repositoryRoot: URL {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }

    /// `../shared/fixtures` next to the repository.
    public static var fixtures: URL {
        repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures")
    }

    /// The repository's `migrations/` folder.
    public static var migrationsDirectory: String {
        repositoryRoot.appendingPathComponent("migrations").path
    }

    /// A unique lowercase name such as `t_3f2a…`.
    public static func uniqueName(_ prefix: String = "t") -> String {
        prefix + "_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
    }

    /// A fixed secret key for tests.
    public static let secretKey = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="

    /// An ``AppConfiguration`` pointing at `database` and the test Redis with `redisKeyPrefix`.
    public static func configuration(
        database: DatabaseConfiguration,
        redisKeyPrefix: String,
        port: Int = 0,
        extra: [String: String] = [:]
    ) throws -> AppConfiguration {
        let redis = ProcessInfo.processInfo.environment["TEST_REDIS_URL"] ?? ""
        var password = ""
        if let value = database.password { password = ":\(value)" }
        var values = [
            "DATABASE_URL": "postgres://\(database.username)\(password)@\(database.host):\(database.port)/\(database.database)",
            "REDIS_URL": redis,
            "REDIS_KEY_PREFIX": redisKeyPrefix,
            "LEADRELAY_SECRET_KEY": secretKey,
            "PORT": "\(port == 0 ? 8080 : port)",
            "HOST": "127.0.0.1",
            "MIGRATIONS_DIR": migrationsDirectory,
            "METRICS_PORT": "0",
            // Tests run many processes' worth of pools side by side: one standing connection each.
            "DATABASE_MIN_CONNECTIONS": "1",
            // CRM stand-ins listen on loopback; the refusal of private targets has its own tests.
            "LEADRELAY_ALLOW_PRIVATE_NETWORKS": "true",
        ]
        values.merge(extra) { _, new in new }
        return try AppConfiguration(environment: EnvironmentValues(values))
    }
}
