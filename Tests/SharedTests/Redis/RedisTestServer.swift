import Foundation
import Logging
import Redis
import Shared
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A throw-away `redis-server` child process on a free loopback port, for tests.
///
/// Started with `--save '' --appendonly no` (nothing is persisted), stopped with
/// SIGKILL. ``restart()`` stops it and starts a fresh one on the same port.
final class RedisTestServer: Sendable {
    /// Path of the server binary (`REDIS_SERVER_PATH` overrides it).
    static let executable = ProcessInfo.processInfo.environment["REDIS_SERVER_PATH"] ?? "/usr/bin/redis-server"

    let port: Int
    let password: String?
    let extraArguments: [String]
    private let process = Mutex<Process?>(nil)

    private init(port: Int, password: String?, extraArguments: [String]) {
        self.port = port
        self.password = password
        self.extraArguments = extraArguments
    }

    /// A configuration pointing at this server (with its password, database 0).
    var configuration: RedisConfiguration {
        RedisConfiguration(host: "127.0.0.1", port: self.port, password: self.password)
    }

    /// Starts a server, runs `body`, and stops the server whether `body` throws or not.
    static func with<T>(
        password: String? = nil,
        extraArguments: [String] = [],
        _ body: (RedisTestServer) async throws -> T
    ) async throws -> T {
        let server = try await self.start(password: password, extraArguments: extraArguments)
        let result: T
        do {
            result = try await body(server)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
        return result
    }

    /// Starts a server on a free port and waits until it accepts connections.
    static func start(password: String? = nil, extraArguments: [String] = []) async throws -> RedisTestServer {
        let server = RedisTestServer(port: try RedisTestServer.freePort(), password: password, extraArguments: extraArguments)
        try await server.launch()
        return server
    }

    /// Stops the server (SIGKILL) and waits for the process to exit.
    func stop() async {
        guard
            let process = self.process.withLock({ current -> Process? in
                defer { current = nil }
                return current
            })
        else {
            return
        }
        // SIGKILL, not SIGTERM: the child inherits the spawning thread's signal mask,
        // and test-runner threads block SIGTERM, so redis-server would never see it.
        // Nothing is persisted (--save '' --appendonly no), so nothing is lost.
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
        let deadline = ContinuousClock.now + .seconds(5)
        while process.isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Stops the server and starts a fresh, empty one on the same port.
    func restart() async throws {
        await self.stop()
        try await self.launch()
    }

    private func launch() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        var arguments = [
            "--port", String(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--daemonize", "no", "--loglevel", "warning",
        ]
        if let password {
            arguments += ["--requirepass", password]
        }
        arguments += self.extraArguments
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process.withLock { $0 = process }

        // Ready once a TCP connection is accepted (the port is bound after loading). Generous:
        // the whole suite runs in parallel on two cores.
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if !process.isRunning {
                throw TestServerError(message: "redis-server exited with status \(process.terminationStatus) on port \(self.port)")
            }
            if Self.canConnect(port: self.port) {
                return
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        await self.stop()
        throw TestServerError(message: "redis-server did not start on port \(self.port)")
    }
}

/// A failure of the test server helper itself.
struct TestServerError: Error, CustomStringConvertible {
    var message: String
    var description: String { self.message }
}

extension RedisTestServer {
    /// A loopback TCP port that nothing listens on right now (bind to port 0, read, close).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else {
            throw TestServerError(message: "socket() failed: \(errno)")
        }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            throw TestServerError(message: "bind() failed: \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getsockname(fd, $0, &length)
            }
        }
        guard named == 0 else {
            throw TestServerError(message: "getsockname() failed: \(errno)")
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether a TCP connection to 127.0.0.1:`port` is accepted.
    fileprivate static func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else {
            return false
        }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return result == 0
    }
}

/// Shared plumbing for the Redis tests.
enum RedisTestSupport {
    /// A logger for the client under test (`REDIS_TEST_LOG_LEVEL`, default `warning`).
    static var logger: Logger {
        var logger = Logger(label: "redis-tests")
        let level = ProcessInfo.processInfo.environment["REDIS_TEST_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) }
        logger.logLevel = level ?? .warning
        return logger
    }

    /// A unique key prefix, so tests never touch each other's keys.
    static func uniquePrefix(_ test: String = #function) -> String {
        let name = test.prefix(while: { $0 != "(" })
        return "test:\(name):\(UUID().uuidString.prefix(8)):"
    }

    /// Runs `body` against the server named by `TEST_REDIS_URL`, or — when it is not
    /// set — against a private throw-away server, with a client and a unique key prefix.
    /// Deletes every key under the prefix afterwards.
    static func withRedis<T>(
        poolSize: Int = 4,
        test: String = #function,
        _ body: (RedisClient, String) async throws -> T
    ) async throws -> T {
        if let url = ProcessInfo.processInfo.environment["TEST_REDIS_URL"], !url.isEmpty {
            var configuration = try RedisConfiguration(url: url)
            configuration.poolSize = poolSize
            return try await self.withClient(configuration, test: test, body)
        }
        return try await RedisTestServer.with { server in
            var configuration = server.configuration
            configuration.poolSize = poolSize
            return try await self.withClient(configuration, test: test, body)
        }
    }

    private static func withClient<T>(
        _ configuration: RedisConfiguration,
        test: String,
        _ body: (RedisClient, String) async throws -> T
    ) async throws -> T {
        let prefix = self.uniquePrefix(test)
        return try await RedisClient.withClient(configuration, logger: self.logger) { client in
            let result: T
            do {
                result = try await body(client, prefix)
            } catch {
                try? await self.deleteKeys(client, prefix: prefix)
                throw error
            }
            try await self.deleteKeys(client, prefix: prefix)
            return result
        }
    }

    /// Deletes all keys starting with `prefix` (SCAN + DEL).
    static func deleteKeys(_ client: RedisClient, prefix: String) async throws {
        var cursor = "0"
        repeat {
            let reply = try await client.send(["SCAN", RedisArgument(cursor), "MATCH", RedisArgument(prefix + "*"), "COUNT", 1000])
            guard let parts = reply.array, parts.count == 2, let next = parts[0].string, let keys = parts[1].array else {
                return
            }
            let arguments = keys.compactMap(\.bytes).map(RedisArgument.init)
            if !arguments.isEmpty {
                _ = try await client.send(["DEL"] + arguments)
            }
            cursor = next
        } while cursor != "0"
    }
}
