import Foundation
import Redis
import Shared
import Testing

@Suite("Redis connection failures, auth and lifecycle")
struct RedisResilienceTests {
    @Test func refusedConnectionNamesHostAndPort() async throws {
        let port = try RedisTestServer.freePort()
        var configuration = RedisConfiguration(host: "127.0.0.1", port: port, password: "s3cret-password")
        configuration.commandTimeout = .seconds(2)
        let clock = ContinuousClock()
        let start = clock.now
        try await RedisClient.withClient(configuration, logger: RedisTestSupport.logger) { client async throws in
            let error = await #expect(throws: RedisConnectionError.self) {
                try await client.send(["PING"])
            }
            #expect(error?.kind == .connectFailed)
            #expect(error?.message == "connection refused to 127.0.0.1:\(port)")
            #expect(error?.description.contains("s3cret") == false)
        }
        // A hang guard, not a speed check: five attempts with 50/100/200/400 ms backoff give up
        // in well under a second; only a retry loop that never ends would take this long.
        #expect(start.duration(to: clock.now) < .seconds(15))
    }

    @Test func commandTimeoutDiscardsConnectionAndRecovers() async throws {
        try await RedisTestServer.with { server async throws in
            var configuration = server.configuration
            configuration.commandTimeout = .milliseconds(250)
            configuration.poolSize = 1
            try await RedisClient.withClient(configuration, logger: RedisTestSupport.logger) { client async throws in
                let key = RedisArgument(RedisTestSupport.uniquePrefix() + "never")
                let error = await #expect(throws: RedisConnectionError.self) {
                    try await client.send(["BLPOP", key, 2])
                }
                #expect(error?.kind == .timeout)
                #expect(error?.message.hasPrefix("timeout after 0.25 s") == true)
                // The timed-out connection was discarded; the next command reconnects.
                #expect(try await client.send(["PING"]) == .simpleString("PONG"))
                // A blocking command with its block time allowed for succeeds.
                #expect(try await client.sendBlocking(["BLPOP", key, 1], blockingTime: .seconds(1)) == .null)
            }
        }
    }

    @Test func recoversAfterServerRestart() async throws {
        try await RedisTestServer.with { server async throws in
            var configuration = server.configuration
            configuration.poolSize = 2
            try await RedisClient.withClient(configuration, logger: RedisTestSupport.logger) { client async throws in
                let prefix = RedisTestSupport.uniquePrefix()
                let key = RedisArgument(prefix + "k")
                // Open both pooled connections so they are idle when the server restarts.
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<20 {
                        group.addTask { _ = try await client.send(["INCR", key]) }
                    }
                    try await group.waitForAll()
                }
                #expect(try await client.send(["GET", key]).int == 20)

                try await server.restart()

                // The first command may fail or succeed, but must not hang or crash …
                do {
                    _ = try await client.send(["PING"])
                } catch let error as RedisConnectionError {
                    #expect(error.kind != .shutdown)
                }
                // … and later commands succeed on the same client.
                for _ in 0..<5 {
                    #expect(try await client.send(["INCR", key]).int != nil)
                }
                #expect(try await client.send(["GET", key]).int == 5)
                _ = try await client.send(["DEL", key])
            }
        }
    }

    @Test func restartUnderConcurrentLoadRecovers() async throws {
        try await RedisTestServer.with { server in
            try await RedisClient.withClient(server.configuration, logger: RedisTestSupport.logger) { client async throws in
                let key = RedisArgument(RedisTestSupport.uniquePrefix() + "load")
                let outcomes = try await withThrowingTaskGroup(of: (succeeded: Int, failed: Int).self) { group in
                    for _ in 0..<4 {
                        group.addTask {
                            var succeeded = 0
                            var failed = 0
                            for _ in 0..<100 {
                                do {
                                    _ = try await client.send(["INCR", key])
                                    succeeded += 1
                                } catch is RedisConnectionError {
                                    failed += 1  // in flight while the server went away
                                }
                                try await Task.sleep(for: .milliseconds(3))
                            }
                            return (succeeded, failed)
                        }
                    }
                    group.addTask {
                        try await Task.sleep(for: .milliseconds(150))
                        try await server.restart()
                        return (0, 0)
                    }
                    var total = (succeeded: 0, failed: 0)
                    for try await outcome in group {
                        total.succeeded += outcome.succeeded
                        total.failed += outcome.failed
                    }
                    return total
                }
                print("restart under load: \(outcomes.succeeded) succeeded, \(outcomes.failed) failed with RedisConnectionError")
                #expect(outcomes.succeeded + outcomes.failed == 400)
                #expect(outcomes.succeeded > 300)
                // Every later command succeeds on the same client.
                let results = try await client.pipeline(Array(repeating: ["INCR", key], count: 50))
                #expect(results.allSatisfy { (try? $0.get()) != nil })
                for _ in 0..<10 {
                    #expect(try await client.send(["PING"]) == .simpleString("PONG"))
                }
                _ = try await client.send(["DEL", key])
            }
        }
    }

    @Test func inFlightCommandFailsWhenServerGoesAwayAndClientRecovers() async throws {
        try await RedisTestServer.with { server async throws in
            try await RedisClient.withClient(server.configuration, logger: RedisTestSupport.logger) { client async throws in
                let key = RedisArgument(RedisTestSupport.uniquePrefix() + "queue")
                _ = try await client.send(["PING"])
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        let error = await #expect(throws: RedisConnectionError.self) {
                            try await client.withDedicatedConnection { connection async throws in
                                try await connection.sendBlocking(["BLPOP", key, 10], blockingTime: .seconds(10))
                            }
                        }
                        #expect(error?.kind == .closed)
                        #expect(error?.message.contains("server closed the connection") == true)
                    }
                    group.addTask {
                        try await Task.sleep(for: .milliseconds(300))
                        await server.stop()
                    }
                    try await group.waitForAll()
                }
                // While the server is down commands fail with a clear error …
                let down = await #expect(throws: RedisConnectionError.self) {
                    try await client.send(["PING"])
                }
                #expect(down?.message.contains("connection refused") == true)

                try await server.restart()
                // … and succeed again once it is back, without a new client.
                #expect(try await client.send(["PING"]) == .simpleString("PONG"))
                let value = try await client.withDedicatedConnection { connection async throws in
                    try await connection.send(["ECHO", "back"])
                }
                #expect(value.string == "back")
            }
        }
    }

    @Test func passwordAndDatabaseSelection() async throws {
        try await RedisTestServer.with(password: "s3cret pass") { server async throws in
            let url = "redis://:s3cret%20pass@127.0.0.1:\(server.port)/3"
            try await RedisClient.withClient(try RedisConfiguration(url: url), logger: RedisTestSupport.logger) { client async throws in
                let key = RedisArgument(RedisTestSupport.uniquePrefix() + "db3")
                _ = try await client.send(["SET", key, "in three"])
                let info = try await client.send(["CLIENT", "INFO"]).string ?? ""
                #expect(info.contains(" db=3 "))
                // A second pooled connection selects the database too.
                let infos = try await client.pipeline([["CLIENT", "INFO"], ["GET", key]])
                #expect((try? infos[0].get().string)?.contains(" db=3 ") == true)
                #expect(try infos[1].get() == .bulkString(Array("in three".utf8)))

                // ACL user with its own password.
                _ = try await client.send(["ACL", "SETUSER", "alice", "on", ">alice-pw", "~*", "+@all"])
                let aliceURL = "redis://alice:alice-pw@127.0.0.1:\(server.port)/3"
                try await RedisClient.withClient(try RedisConfiguration(url: aliceURL), logger: RedisTestSupport.logger) { alice async throws in
                    #expect(try await alice.send(["ACL", "WHOAMI"]).string == "alice")
                    #expect(try await alice.send(["GET", key]).string == "in three")
                }
                _ = try await client.send(["DEL", key])
            }

            var wrong = server.configuration
            wrong.password = "wrong-password"
            try await RedisClient.withClient(wrong, logger: RedisTestSupport.logger) { client async throws in
                let error = await #expect(throws: RedisConnectionError.self) {
                    try await client.send(["PING"])
                }
                #expect(error?.kind == .setupFailed)
                #expect(error?.message.contains("authentication failed for 127.0.0.1:\(server.port)") == true)
                #expect(error?.description.contains("wrong-password") == false)
            }

            var none = server.configuration
            none.password = nil
            try await RedisClient.withClient(none, logger: RedisTestSupport.logger) { client async throws in
                let error = await #expect(throws: RedisServerError.self) {
                    try await client.send(["GET", "x"])
                }
                #expect(error?.code == "NOAUTH")
            }

            var badDatabase = server.configuration
            badDatabase.database = 999
            try await RedisClient.withClient(badDatabase, logger: RedisTestSupport.logger) { client async throws in
                let error = await #expect(throws: RedisConnectionError.self) {
                    try await client.send(["PING"])
                }
                #expect(error?.kind == .setupFailed)
            }
        }
    }

    @Test func cancelledWaiterDoesNotLeakTheConnection() async throws {
        try await RedisTestServer.with { server async throws in
            var configuration = server.configuration
            configuration.poolSize = 1
            try await RedisClient.withClient(configuration, logger: RedisTestSupport.logger) { client async throws in
                let key = RedisArgument(RedisTestSupport.uniquePrefix() + "hold")
                try await withThrowingTaskGroup(of: Void.self) { group in
                    // Occupies the only pooled connection for ~600 ms.
                    group.addTask {
                        _ = try await client.sendBlocking(["BLPOP", key, "0.6"], blockingTime: .seconds(1))
                    }
                    try await Task.sleep(for: .milliseconds(100))
                    // These wait for the connection and are cancelled while waiting.
                    try await withThrowingTaskGroup(of: Void.self) { waiters in
                        for _ in 0..<5 {
                            waiters.addTask {
                                await #expect(throws: CancellationError.self) {
                                    try await client.send(["PING"])
                                }
                            }
                        }
                        try await Task.sleep(for: .milliseconds(100))
                        waiters.cancelAll()
                        try await waiters.waitForAll()
                    }
                    try await group.waitForAll()
                }
                // The single slot is free again: commands do not hang.
                let clock = ContinuousClock()
                let start = clock.now
                for _ in 0..<3 {
                    #expect(try await client.send(["PING"]) == .simpleString("PONG"))
                }
                // Hang guard: a leaked slot would make these wait for the pool forever.
                #expect(start.duration(to: clock.now) < .seconds(10))
            }
        }
    }

    @Test func serviceRunShutsDownOnCancellation() async throws {
        try await RedisTestServer.with { server async throws in
            let client = RedisClient(configuration: server.configuration, logger: RedisTestSupport.logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await client.run() }
                #expect(try await client.send(["PING"]) == .simpleString("PONG"))
                group.cancelAll()
                try await group.waitForAll()
            }
            let error = await #expect(throws: RedisConnectionError.self) {
                try await client.send(["PING"])
            }
            #expect(error?.kind == .shutdown)
            await client.shutdown()  // idempotent
        }
    }
}
