import Logging
import PostgresNIO
import Redis
import ServiceLifecycle
import Shared
import TestSupport
import Testing

/// Issue 21, item 7: a one-shot client (leadctl, migrate, test databases) and the long-running
/// processes' client never lease a connection before `PostgresClient.run()` has started.
@Suite("PostgresClient start-up order")
struct PostgresClientStartTests {
    static let warning = "hasn't been called yet"

    static func atWarning(_ logger: Logger) -> Logger {
        var logger = logger
        logger.logLevel = .warning
        return logger
    }

    @Test func oneShotClientsQueryOnlyOnceRunning() async throws {
        let (capturing, logs) = CapturingLogHandler.logger()
        let logger = Self.atWarning(capturing)
        let server = try TestEnvironment.serverDatabase()
        // The race it closes was lost most of the time: repeat it so that a regression shows.
        for _ in 0..<20 {
            let one = try await withRunningPostgresClient(server, logger: logger) { client in
                try await client.query("SELECT 1", logger: logger).decode(Int.self).first { _ in true }
            }
            #expect(one == 1)
        }
        #expect(!logs.all.contains { $0.message.contains(Self.warning) }, "\(logs.all.map(\.message))")
    }

    @Test func theDataStoresServiceSignalsWhenTheClientRuns() async throws {
        let (capturing, logs) = CapturingLogHandler.logger()
        let logger = Self.atWarning(capturing)
        let server = try TestEnvironment.serverDatabase()
        for _ in 0..<20 {
            let stores = DataStores(
                postgres: server.makeClient(logger: logger),
                redis: RedisClient(
                    configuration: try TestEnvironment.redisConfiguration(),
                    logger: logger
                ),
                redisKeys: RedisKeys(prefix: TestEnvironment.uniqueName("lrs"))
            )
            try await withThrowingTaskGroup(of: Void.self) { group in
                for service in stores.services { group.addTask { try await service.run() } }
                await stores.waitUntilPostgresRuns()
                _ = try await stores.postgres.query("SELECT 1", logger: logger)
                group.cancelAll()
            }
        }
        #expect(!logs.all.contains { $0.message.contains(Self.warning) }, "\(logs.all.map(\.message))")
    }
}
