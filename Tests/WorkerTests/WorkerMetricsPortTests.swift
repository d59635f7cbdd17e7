import AsyncHTTPClient
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Shared
import TestSupport
import Testing
import WorkerApp

/// Issue 21, item 5: which port the worker's metrics/health listener takes, and what happens when it is taken.
@Suite("Worker metrics listener port")
struct WorkerMetricsPortTests {
    /// Holds a port the way another process would: a socket listening on 127.0.0.1:`port` (0: any
    /// free port) during `body`. A `port` someone else already holds stays taken, which is all a test needs.
    private func withHeldPort(_ port: Int = 0, _ body: (Int) async throws -> Void) async throws {
        let channel: (any Channel)?
        do {
            channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: port).get()
        } catch let error as IOError where port != 0 && error.errnoCode == EADDRINUSE {
            channel = nil
        }
        do {
            try await body(channel?.localAddress?.port ?? port)
        } catch {
            try? await channel?.close()
            throw error
        }
        try? await channel?.close()
    }

    /// A worker with `environment` over the test defaults (a blank value unsets a variable), not yet
    /// running, and its log.
    private func withWorker(
        _ environment: [String: String],
        _ body: @Sendable (ServiceGroup, CapturingLogHandler.Store) async throws -> Void
    ) async throws {
        try await TestDatabase.withDatabase { database in
            let prefix = TestEnvironment.uniqueName("lr")
            let configuration = try TestEnvironment.configuration(
                database: database.configuration,
                redisKeyPrefix: prefix,
                extra: environment
            )
            let stores = DataStores(configuration: configuration, logger: TestEnvironment.logger)
            let (logger, logs) = CapturingLogHandler.logger()
            try await body(buildWorker(configuration: configuration, stores: stores, logger: logger), logs)
        }
    }

    /// Runs `group` during `body`, then shuts it down gracefully.
    private func whileRunning(_ group: ServiceGroup, _ body: @Sendable () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await body()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// The port in the worker's "metrics listener ready" line, waiting up to 60 s for it.
    private func listeningPort(_ logs: CapturingLogHandler.Store) async throws -> Int? {
        for _ in 0..<600 {
            if let line = logs.all.first(where: { $0.message.hasPrefix("metrics listener ready") }) {
                return line.metadata["port"].flatMap { Int($0) }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    private func health(_ port: Int) async throws -> String {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/health"), timeout: .seconds(10))
        return String(buffer: try await response.body.collect(upTo: 1_024))
    }

    @Test func secondWorkerWithDefaultsTakesAFreePortWhen9090IsTaken() async throws {
        try await withHeldPort(9090) { held in  // the default METRICS_PORT
            try await withWorker(["METRICS_PORT": "", "PORT": ""]) { group, logs in
                try await whileRunning(group) {
                    let port = try #require(try await listeningPort(logs), "the worker logs the port it listens on")
                    #expect(port != held)
                    #expect(try await health(port) == "ok")
                }
            }
        }
    }

    @Test func aTakenPortInMetricsPortEndsTheWorkerWithAnErrorNamingIt() async throws {
        try await withHeldPort { held in
            try await withWorker(["METRICS_PORT": "\(held)"]) { group, _ in
                let error = await #expect(throws: ConfigurationError.self) {
                    try await withThrowingTaskGroup(of: Void.self) { tasks in
                        tasks.addTask { try await group.run() }
                        // Only a bound for a worker that wrongly keeps running; the error comes at start.
                        tasks.addTask {
                            try await Task.sleep(for: .seconds(120))
                            await group.triggerGracefulShutdown()
                        }
                        try await tasks.next()
                        tasks.cancelAll()
                    }
                }
                #expect(error?.variable == "METRICS_PORT")
                #expect(error.map { "\($0)" }?.contains("port \(held)") == true)
            }
        }
    }

    @Test func withPortSetAndMetricsPortUnsetTheWorkerListensOnPort() async throws {
        var free = 0
        try await withHeldPort { free = $0 }
        let port = free
        try await withWorker(["METRICS_PORT": "", "PORT": "\(port)"]) { group, logs in
            try await whileRunning(group) {
                let listening = try await listeningPort(logs)
                let health = try await health(port)
                #expect(listening == port)
                #expect(health == "ok")
            }
        }
    }
}
