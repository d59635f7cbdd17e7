import Foundation
import Redis
import Shared
import Testing

@Suite("Redis stream helpers")
struct RedisStreamTests {
    @Test func consumerGroupLifecycle() async throws {
        try await RedisTestSupport.withRedis { client, prefix async throws in
            let stream = prefix + "deliveries"
            #expect(try await client.xgroupCreate(stream, group: "workers", id: "0", mkstream: true))
            // A second create is tolerated (BUSYGROUP).
            #expect(try await client.xgroupCreate(stream, group: "workers", id: "0", mkstream: true) == false)

            var ids: [String] = []
            for index in 0..<3 {
                ids.append(try await client.xadd(stream, fields: ["lead": RedisArgument("lead-\(index)"), "blob": RedisArgument([0, 1, 2])]))
            }
            #expect(Set(ids).count == 3)

            let read = try await client.xreadgroup(group: "workers", consumer: "alice", streams: [stream], count: 10)
            #expect(read.map(\.id) == ids)
            #expect(read.map { $0.string("lead") } == ["lead-0", "lead-1", "lead-2"])
            #expect(read.allSatisfy { $0.fields["blob"] == [0, 1, 2] && $0.stream == stream })
            // Nothing new for another read.
            #expect(try await client.xreadgroup(group: "workers", consumer: "alice", streams: [stream], count: 10).isEmpty)

            #expect(try await client.xack(stream, group: "workers", ids: [ids[0]]) == 1)
            #expect(try await client.xack(stream, group: "workers", ids: [ids[0]]) == 0)

            // Not idle long enough yet: nothing is claimed.
            let early = try await client.xautoclaim(stream, group: "workers", consumer: "bob", minIdleMilliseconds: 60_000)
            #expect(early.entries.isEmpty)

            try await Task.sleep(for: .milliseconds(60))
            let claimed = try await client.xautoclaim(stream, group: "workers", consumer: "bob", minIdleMilliseconds: 50, start: "0-0", count: 10)
            #expect(claimed.nextStart == "0-0")
            #expect(claimed.entries.map(\.id) == [ids[1], ids[2]])
            #expect(claimed.entries.first?.string("lead") == "lead-1")

            // Bob now owns them: his pending list (id "0") holds both.
            let pending = try await client.xreadgroup(group: "workers", consumer: "bob", streams: [stream], id: "0")
            #expect(pending.map(\.id) == [ids[1], ids[2]])
            #expect(try await client.xack(stream, group: "workers", ids: [ids[1], ids[2]]) == 2)
            let summary = try await client.send(["XPENDING", RedisArgument(stream), "workers"])
            #expect(summary.array?.first == .integer(0))
        }
    }

    @Test func xaddWithMaxLengthTrims() async throws {
        try await RedisTestSupport.withRedis { client, prefix async throws in
            let stream = prefix + "capped"
            for index in 0..<50 {
                try await client.xadd(stream, fields: [("n", RedisArgument(index))], maxLength: 10)
            }
            let length = try await client.send(["XLEN", RedisArgument(stream)]).int ?? 0
            #expect(length >= 10 && length <= 50)
        }
    }

    @Test func dedicatedBlockingReadReturnsWhenAnotherClientAdds() async throws {
        try await RedisTestSupport.withRedis { client, prefix async throws in
            let stream = prefix + "blocking"
            try await client.xgroupCreate(stream, group: "g", id: "$")
            let clock = ContinuousClock()
            let start = clock.now
            let entries = try await withThrowingTaskGroup(of: [RedisStreamEntry].self) { group in
                group.addTask {
                    try await client.withDedicatedConnection { connection async throws in
                        try await connection.xreadgroup(
                            group: "g",
                            consumer: "c",
                            streams: [stream],
                            count: 1,
                            blockMilliseconds: 8_000
                        )
                    }
                }
                group.addTask {
                    try await Task.sleep(for: .milliseconds(300))
                    // Ordinary commands still flow while the blocking read waits.
                    _ = try await client.send(["PING"])
                    try await client.xadd(stream, fields: ["hello": "world"])
                    return []
                }
                var collected: [RedisStreamEntry] = []
                for try await result in group {
                    collected += result
                }
                return collected
            }
            let elapsed = start.duration(to: clock.now)
            #expect(entries.count == 1)
            #expect(entries.first?.string("hello") == "world")
            #expect(elapsed < .seconds(5))
        }
    }

    @Test func blockingReadTimesOutEmptyAfterTheCommandTimeout() async throws {
        try await RedisTestServer.with { server async throws in
            var configuration = server.configuration
            configuration.commandTimeout = .milliseconds(300)
            try await RedisClient.withClient(configuration, logger: RedisTestSupport.logger) { client async throws in
                let stream = RedisTestSupport.uniquePrefix() + "idle"
                try await client.xgroupCreate(stream, group: "g")
                // Blocks 1 s > commandTimeout: the timeout is extended by the block time.
                let entries = try await client.withDedicatedConnection { connection async throws in
                    try await connection.xreadgroup(group: "g", consumer: "c", streams: [stream], blockMilliseconds: 1_000)
                }
                #expect(entries.isEmpty)
                let error = await #expect(throws: RedisConnectionError.self) {
                    try await client.withDedicatedConnection { connection async throws in
                        try await connection.xreadgroup(group: "g", consumer: "c", streams: [stream], blockMilliseconds: 0)
                    }
                }
                #expect(error?.kind == .invalidUse)
            }
        }
    }
}
