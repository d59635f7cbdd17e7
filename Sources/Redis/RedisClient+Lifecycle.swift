import Logging
import NIOPosix
import ServiceLifecycle
import Synchronization

extension RedisClient: Service {
    /// Keeps the client alive until graceful shutdown (or cancellation) of the service
    /// group, then closes its connections and stops its thread pool.
    ///
    /// The client serves commands from creation on; `run()` only ties its shutdown to
    /// the service lifecycle.
    public func run() async throws {
        try? await gracefulShutdown()
        await self.shutdown()
    }
}

extension RedisClient {
    /// Whether ``shutdown()`` has been called.
    var isShutDown: Bool {
        self.lifecycle.withLock { state in
            if case .running = state { return false }
            return true
        }
    }

    /// Closes all connections and stops the thread pool, after commands already
    /// running on it have finished. Commands waiting for a connection, and any later
    /// command, fail with ``RedisConnectionError`` (`.shutdown`). Idempotent; every
    /// caller returns once the shutdown is complete.
    public func shutdown() async {
        let isFirst: Bool = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let first = self.lifecycle.withLock { state -> Bool? in
                switch state {
                case .running:
                    state = .shuttingDown(waiters: [])
                    return true
                case .shuttingDown(var waiters):
                    waiters.append(continuation)
                    state = .shuttingDown(waiters: waiters)
                    return nil
                case .shutDown:
                    return false
                }
            }
            if let first {
                continuation.resume(returning: first)
            }
        }
        guard isFirst else {
            return
        }
        self.logger.debug("shutting down Redis client")
        self.pool.close()
        self.dedicatedPool.close()
        do {
            try await self.threadPool.shutdownGracefully()
        } catch {
            self.logger.warning("Redis thread pool shutdown failed", metadata: ["error": "\(error)"])
        }
        let waiters = self.lifecycle.withLock { state -> [CheckedContinuation<Bool, Never>] in
            defer { state = .shutDown }
            if case .shuttingDown(let waiters) = state {
                return waiters
            }
            return []
        }
        for waiter in waiters {
            waiter.resume(returning: false)
        }
    }

    /// Creates a client, runs `body` with it and shuts it down afterwards, whether
    /// `body` returns or throws. Meant for tests and command-line tools.
    public static func withClient<T>(
        _ configuration: RedisConfiguration,
        logger: Logger,
        _ body: (RedisClient) async throws -> T
    ) async throws -> T {
        let client = RedisClient(configuration: configuration, logger: logger)
        let result: T
        do {
            result = try await body(client)
        } catch {
            await client.shutdown()
            throw error
        }
        await client.shutdown()
        return result
    }
}

extension RedisConnectionError {
    /// The error for any use of a client after ``RedisClient/shutdown()``.
    static var clientShutDown: RedisConnectionError {
        RedisConnectionError(.shutdown, "Redis client is shut down")
    }
}
