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
    _ database: DatabaseConfiguration, logger: Logger, _ body: @Sendable (PostgresClient) async throws -> T
) async throws -> T {
    let client = database.makeClient(logger: logger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        await client.startRunning(in: &group)
        defer { group.cancelAll() }
        return try await body(client)
    }
}

extension PostgresClient {
    /// Starts `run()` in `group` and returns once it has been entered, so that the first lease
    /// does not come before it (PostgresNIO warns "Trying to lease connection from PostgresClient,
    /// but PostgresClient.run() hasn't been called yet" and the lease waits for it).
    ///
    /// `run()` marks the client running in its first, synchronous step, right after the signal is
    /// sent from the same task; the caller resumes on another thread only after that signal.
    public func startRunning(in group: inout ThrowingTaskGroup<Void, any Error>) async {
        let (started, signal) = AsyncStream.makeStream(of: Void.self)
        group.addTask {
            signal.finish()
            await self.run()
        }
        for await _ in started {}
        await Task.yield()
    }
}
