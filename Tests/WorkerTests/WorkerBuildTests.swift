import PostgresNIO
import Redis
import ServiceLifecycle
import Shared
import TestSupport
import Testing
import WorkerApp

@Suite("Worker process")
struct WorkerBuildTests {
    @Test func bootsMigratesJoinsTheConsumerGroupAndStopsGracefully() async throws {
        try await TestDatabase.withDatabase(migrated: false) { database in
            let prefix = TestEnvironment.uniqueName("lr")
            let configuration = try TestEnvironment.configuration(database: database.configuration, redisKeyPrefix: prefix)
            let stores = DataStores(configuration: configuration, logger: TestEnvironment.logger)
            let group = buildWorker(configuration: configuration, stores: stores, logger: TestEnvironment.logger)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                var groups: [RedisValue] = []
                // Up to 60 s: booting migrates an empty database, with the whole suite sharing two cores.
                for _ in 0..<600 {
                    if let reply = try? await stores.redis.send(["XINFO", "GROUPS", RedisArgument(stores.redisKeys.deliveryStream)]),
                        let array = reply.array, !array.isEmpty
                    {
                        groups = array
                        break
                    }
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(groups.count == 1, "the worker created the consumer group")
                var tables = 0
                for try await count in try await stores.postgres.query(
                    "SELECT count(*)::int FROM schema_migrations"
                ).decode(Int.self) { tables = count }
                #expect(tables >= 1, "the worker applied the migrations at boot")
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            try await database.withClient { _ in }
            _ = try? await RedisClient.withClient(try TestEnvironment.redisConfiguration(), logger: TestEnvironment.logger) { redis in
                try await redis.send(["DEL", RedisArgument(stores.redisKeys.deliveryStream)])
            }
        }
    }
}
