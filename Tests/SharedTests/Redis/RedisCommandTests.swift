import Foundation
import Redis
import Shared
import Testing

@Suite("Redis commands against a real server")
struct RedisCommandTests {
    struct Payload: Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: [UInt8]
        var testDescription: String { "\(self.name) (\(self.bytes.count) bytes)" }
    }

    static let payloads: [Payload] = [
        Payload(name: "all 256 byte values", bytes: Array(0...255)),
        Payload(name: "only NUL bytes", bytes: [0, 0, 0]),
        Payload(name: "empty", bytes: []),
        Payload(name: "NUL and RESP framing", bytes: Array("hello\u{0}world\r\n$3\r\n".utf8)),
        Payload(name: "100 kB pattern", bytes: Array((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })),
    ]

    @Test(arguments: payloads)
    func binaryRoundTrip(_ testPayload: Payload) async throws {
        let payload = testPayload.bytes
        try await RedisTestSupport.withRedis { client, prefix async throws in
            let key = RedisArgument(Array(prefix.utf8) + [0, 1, 0xFF])  // a binary key too
            let ok = try await client.send(["SET", key, RedisArgument(payload)])
            #expect(ok == .simpleString("OK"))
            let value = try await client.send(["GET", key])
            #expect(value == .bulkString(payload))
            #expect(value.bytes == payload)
            #expect(try await client.send(["STRLEN", key]).int == payload.count)
            _ = try await client.send(["DEL", key])
        }
    }

    @Test func missingKeyIsNull() async throws {
        try await RedisTestSupport.withRedis { client, prefix async throws in
            #expect(try await client.send(["GET", RedisArgument(prefix + "missing")]) == .null)
            #expect(try await client.send(["PING"]) == .simpleString("PONG"))
        }
    }

    @Test func errorReplyThrowsServerError() async throws {
        try await RedisTestSupport.withRedis { client, prefix async throws in
            let key = RedisArgument(prefix + "string")
            _ = try await client.send(["SET", key, "x"])
            let error = await #expect(throws: RedisServerError.self) {
                try await client.send(["LPUSH", key, "y"])
            }
            #expect(error?.code == "WRONGTYPE")
            #expect(error?.message.hasPrefix("WRONGTYPE") == true)
            // The connection is still fine after an error reply.
            #expect(try await client.send(["GET", key]) == .bulkString(Array("x".utf8)))
            let unknown = await #expect(throws: RedisServerError.self) {
                try await client.send(["NOSUCHCOMMAND"])
            }
            #expect(unknown?.code == "ERR")
        }
    }

    @Test func nestedArraysDecode() async throws {
        try await RedisTestSupport.withRedis { client, prefix async throws in
            let key = RedisArgument(prefix + "list")
            #expect(try await client.send(["RPUSH", key, "a", "b", "c"]).int == 3)
            let range = try await client.send(["LRANGE", key, 0, -1])
            #expect(range.array?.compactMap(\.string) == ["a", "b", "c"])
            let script = RedisScript("return {1, 'two', {3, 'four'}, false}")
            let nested = try await client.evalScript(script)
            #expect(
                nested
                    == .array([
                        .integer(1), .bulkString(Array("two".utf8)),
                        .array([.integer(3), .bulkString(Array("four".utf8))]), .null,
                    ])
            )
        }
    }

    @Test func pipelineOf10000MixedCommandsKeepsOrder() async throws {
        try await RedisTestSupport.withRedis { client, prefix async throws in
            let counter = RedisArgument(prefix + "counter")
            let wrongType = RedisArgument(prefix + "string")
            _ = try await client.send(["SET", wrongType, "not a list"])

            var commands: [[RedisArgument]] = []
            for index in 0..<10_000 {
                commands.append(index % 10 == 9 ? ["LPUSH", wrongType, "x"] : ["INCR", counter])
            }
            let clock = ContinuousClock()
            var results: [Result<RedisValue, RedisServerError>] = []
            let elapsed = try await clock.measure {
                results = try await client.pipeline(commands)
            }
            print("pipeline of 10,000 commands took \(elapsed)")

            #expect(results.count == 10_000)
            var expected = 0
            var mismatches = 0
            for (index, result) in results.enumerated() {
                switch result {
                case .success(let value):
                    expected += 1
                    if index % 10 == 9 || value != .integer(expected) { mismatches += 1 }
                case .failure(let error):
                    if index % 10 != 9 || error.code != "WRONGTYPE" { mismatches += 1 }
                }
            }
            #expect(mismatches == 0)
            #expect(try await client.send(["GET", counter]).int == 9_000)
            #expect(try await client.pipeline([]).isEmpty)
        }
    }

    @Test func evalShaFallsBackToEvalAfterScriptFlush() async throws {
        try await RedisTestSupport.withRedis { client, prefix async throws in
            let script = RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])")
            let key = RedisArgument(prefix + "scripted")
            #expect(try await client.evalScript(script, keys: [key], arguments: [5]).int == 5)
            // The locally computed SHA-1 is the one the server uses.
            #expect(try await client.send(["SCRIPT", "LOAD", RedisArgument(script.source)]).string == script.sha1)
            #expect(try await client.evalScript(script, keys: [key], arguments: [2]).int == 7)
            _ = try await client.send(["SCRIPT", "FLUSH"])
            #expect(try await client.send(["SCRIPT", "EXISTS", RedisArgument(script.sha1)]) == .array([.integer(0)]))
            #expect(try await client.evalScript(script, keys: [key], arguments: [3]).int == 10)
            #expect(try await client.send(["SCRIPT", "EXISTS", RedisArgument(script.sha1)]) == .array([.integer(1)]))
            // Errors raised by a script surface as server errors.
            let failing = RedisScript("return redis.error_reply('BOOM from script')")
            let error = await #expect(throws: RedisServerError.self) {
                try await client.evalScript(failing)
            }
            #expect(error?.message.contains("BOOM from script") == true)
        }
    }

    @Test(arguments: [1, 4])
    func concurrentIncrementsAreAllApplied(poolSize: Int) async throws {
        try await RedisTestSupport.withRedis(poolSize: poolSize) { client, prefix async throws in
            let key = RedisArgument(prefix + "concurrent")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<200 {
                    group.addTask {
                        _ = try await client.send(["INCR", key])
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await client.send(["GET", key]).int == 200)
        }
    }
}
