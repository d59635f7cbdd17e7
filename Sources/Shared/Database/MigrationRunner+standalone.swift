import Logging
import PostgresNIO

/// Connects to the configured database, applies pending migrations and disconnects; returns
/// the names applied. Used by `IngestAPI migrate` and `leadctl migrate`.
public func runMigrations(configuration: AppConfiguration, logger: Logger) async throws -> [String] {
    let runner = try MigrationRunner(directory: configuration.migrationsDirectory, logger: logger)
    return try await withRunningPostgresClient(configuration.database, logger: logger) { client in
        try await runner.migrate(client: client)
    }
}

/// Runs `body` with a `PostgresClient` whose `run()` is active for exactly the body's duration
/// (command-line tools and tests; long-running processes run the client in their `ServiceGroup`).
public func withRunningPostgresClient<T: Sendable>(
    _ database: DatabaseConfiguration,
    logger: Logger,
    _ body: @Sendable (PostgresClient) async throws -> T
) async throws -> T {
    let client = database.makeClient(logger: logger)
    let started = PostgresStartSignal()
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await SignallingPostgresClientService(client: client, started: started).run() }
        defer { group.cancelAll() }
        // The first query waits until run() has started (see PostgresStartSignal).
        await started.wait()
        return try await body(client)
    }
}
