import Logging
import Redis
import ServiceLifecycle
import Shared
import Testing

@Suite("RedisClient as a ServiceLifecycle service")
struct RedisLifecycleTests {
    @Test func gracefulShutdownOfServiceGroupClosesClient() async throws {
        try await RedisTestServer.with { server async throws in
            let client = RedisClient(configuration: server.configuration, logger: RedisTestSupport.logger)
            let group = ServiceGroup(
                configuration: ServiceGroupConfiguration(services: [client], logger: RedisTestSupport.logger)
            )
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                #expect(try await client.send(["PING"]) == .simpleString("PONG"))
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            let error = await #expect(throws: RedisConnectionError.self) {
                try await client.send(["PING"])
            }
            #expect(error?.kind == .shutdown)
            #expect(error?.message == "Redis client is shut down")
        }
    }

    @Test func concurrentShutdownCallsAllComplete() async throws {
        try await RedisTestServer.with { server async throws in
            let client = RedisClient(configuration: server.configuration, logger: RedisTestSupport.logger)
            _ = try await client.send(["PING"])
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<4 {
                    group.addTask { await client.shutdown() }
                }
            }
            await #expect(throws: RedisConnectionError.self) {
                try await client.withDedicatedConnection { connection in
                    try await connection.send(["PING"])
                }
            }
        }
    }
}
