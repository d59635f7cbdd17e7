import Logging
import PostgresNIO
import Shared

/// A private database for one test suite: created empty or migrated, dropped afterwards.
public struct TestDatabase: Sendable {
    /// Connection settings of the private database.
    public var configuration: DatabaseConfiguration

    /// Runs `body` with a freshly created database (`migrated`: all migrations applied) and drops it after.
    public static func withDatabase<T: Sendable>(
        migrated: Bool = true,
        _ body: @Sendable (TestDatabase) async throws -> T
    ) async throws -> T {
        let server = try TestEnvironment.serverDatabase()
        let name = TestEnvironment.uniqueName("lrtest")
        let logger = TestEnvironment.logger
        try await withRunningPostgresClient(server, logger: logger) { admin in
            try await admin.query(PostgresQuery(unsafeSQL: #"CREATE DATABASE "\#(name)""#), logger: logger)
        }
        let database = TestDatabase(configuration: server.with(database: name))
        do {
            if migrated {
                let runner = try MigrationRunner(directory: TestEnvironment.migrationsDirectory, logger: logger)
                try await withRunningPostgresClient(database.configuration, logger: logger) { client in
                    try await runner.migrate(client: client)
                }
            }
            let result = try await body(database)
            try await drop(name, server: server, logger: logger)
            return result
        } catch {
            try? await drop(name, server: server, logger: logger)
            throw error
        }
    }

    private static func drop(_ name: String, server: DatabaseConfiguration, logger: Logger) async throws {
        try await withRunningPostgresClient(server, logger: logger) { admin in
            try await admin.query(PostgresQuery(unsafeSQL: #"DROP DATABASE IF EXISTS "\#(name)" WITH (FORCE)"#), logger: logger)
        }
    }

    /// Runs `body` with a running client for this database.
    public func withClient<T: Sendable>(_ body: @Sendable (PostgresClient) async throws -> T) async throws -> T {
        try await withRunningPostgresClient(configuration, logger: TestEnvironment.logger, body)
    }
}
