import Logging
import PostgresNIO
import Redis
import ServiceLifecycle

/// The two stores every LeadRelay process talks to: PostgreSQL (the truth) and Redis (the transport).
/// Both clients are `Service`s and must be running (in the process's `ServiceGroup`) to be used.
public struct DataStores: Sendable {
    public let postgres: PostgresClient
    public let redis: RedisClient
    public let redisKeys: RedisKeys
    /// Fired when ``postgres`` starts running (see ``services``).
    public let postgresStarted = PostgresStartSignal()

    /// Creates clients for the configured stores. Nothing connects until the services run.
    public init(configuration: AppConfiguration, logger: Logger) {
        self.postgres = configuration.database.makeClient(logger: logger)
        self.redis = RedisClient(configuration: configuration.redis, logger: logger)
        self.redisKeys = RedisKeys(prefix: configuration.redisKeyPrefix)
    }

    /// Creates the stores from existing clients (tests).
    public init(postgres: PostgresClient, redis: RedisClient, redisKeys: RedisKeys) {
        self.postgres = postgres
        self.redis = redis
        self.redisKeys = redisKeys
    }

    /// The clients as services, in the order they must start. The PostgreSQL client's service
    /// fires ``postgresStarted``; ``waitUntilPostgresRuns()`` waits for it.
    public var services: [any Service] { [SignallingPostgresClientService(client: postgres, started: postgresStarted), redis] }

    /// Returns once the PostgreSQL client's service has started running, so that the first query
    /// does not come before it.
    public func waitUntilPostgresRuns() async {
        await postgresStarted.wait()
    }

    /// Applies pending migrations from `configuration.migrationsDirectory` when `migrateOnBoot` is set.
    /// First waits for the PostgreSQL client to run (this is the first thing processes do with it).
    public func migrateIfEnabled(configuration: AppConfiguration, logger: Logger) async throws {
        await waitUntilPostgresRuns()
        guard configuration.migrateOnBoot else { return }
        let applied = try await MigrationRunner(directory: configuration.migrationsDirectory, logger: logger)
            .migrate(client: postgres)
        if !applied.isEmpty { logger.info("migrations applied", metadata: ["migrations": .string(applied.joined(separator: ","))]) }
    }
}
