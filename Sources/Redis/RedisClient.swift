import Logging
import NIOCore
import NIOPosix
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A Redis client over hiredis with a pool of blocking connections served by a
/// dedicated `NIOThreadPool`, so blocking socket I/O never runs on Swift's
/// cooperative thread pool.
///
/// - Pool: ``RedisConfiguration/poolSize`` connections for ordinary commands and
///   ``RedisConfiguration/dedicatedConnectionLimit`` more for
///   ``withDedicatedConnection(_:)``; the thread pool has one thread per connection,
///   so a command never waits for a thread, only (asynchronously) for a free connection.
/// - Timeouts: connecting is bounded by ``RedisConfiguration/connectTimeout``; every
///   socket read/write by ``RedisConfiguration/commandTimeout`` (extended by the block
///   time for blocking commands). A timed-out connection is discarded.
/// - Reconnect: a broken connection is discarded; the next command reconnects (AUTH +
///   SELECT) with exponential backoff within its deadline. A command in flight when the
///   connection broke throws ``RedisConnectionError`` and is never re-sent.
/// - Lifecycle: conforms to ServiceLifecycle's `Service` (``run()`` waits for graceful
///   shutdown, then calls ``shutdown()``); ``withClient(_:logger:_:)`` scopes a client
///   to a closure.
///
/// Creating the client ignores `SIGPIPE` process-wide: hiredis writes with `write(2)`,
/// which would otherwise kill the process when the server has closed the socket.
public final class RedisClient: Sendable {
    /// The configuration the client was created with.
    public let configuration: RedisConfiguration
    /// The logger, with `redis.endpoint` metadata (never the password).
    let logger: Logger
    /// Runs every blocking hiredis call; one thread per connection of both pools.
    let threadPool: NIOThreadPool
    /// Connections for ordinary commands and pipelines.
    let pool: RedisConnectionPool
    /// Connections for ``withDedicatedConnection(_:)``.
    let dedicatedPool: RedisConnectionPool
    /// Whether the client runs, is shutting down (with callers waiting for the end) or is shut down.
    let lifecycle = Mutex(Lifecycle.running)

    /// The client's lifecycle states.
    enum Lifecycle {
        case running
        case shuttingDown(waiters: [CheckedContinuation<Bool, Never>])
        case shutDown
    }

    /// Creates a client and starts its thread pool. No connection is opened until the
    /// first command. Call ``shutdown()`` (or run it as a `Service`) when done.
    public init(configuration: RedisConfiguration, logger: Logger) {
        _ = ignoreSIGPIPE
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "redis.endpoint"] = .string(configuration.endpoint)
        self.logger = logger
        let poolSize = max(1, configuration.poolSize)
        let dedicatedLimit = max(1, configuration.dedicatedConnectionLimit)
        self.threadPool = NIOThreadPool(numberOfThreads: poolSize + dedicatedLimit)
        self.threadPool.start()
        let shutdownError: @Sendable () -> any Error = { RedisConnectionError.clientShutDown }
        self.pool = RedisConnectionPool(capacity: poolSize, closedError: shutdownError)
        self.dedicatedPool = RedisConnectionPool(capacity: dedicatedLimit, closedError: shutdownError)
    }

    deinit {
        // A client dropped without shutdown(): release sockets and threads anyway.
        let needsShutdown = self.lifecycle.withLock { state in
            if case .running = state { return true }
            return false
        }
        if needsShutdown {
            self.pool.close()
            self.dedicatedPool.close()
            self.threadPool.shutdownGracefully { _ in }
        }
    }

    /// Sends one command on a pooled connection and returns its reply.
    ///
    /// ```swift
    /// let count = try await client.send(["INCR", "counter"]).int
    /// ```
    ///
    /// - Throws: ``RedisServerError`` for an error reply (the connection stays in the
    ///   pool); ``RedisConnectionError`` when the server cannot be reached or the
    ///   connection breaks (the command may or may not have been executed).
    public func send(_ command: [RedisArgument]) async throws -> RedisValue {
        try await self.withPooledConnection { connection in
            try connection.execute(command)
        }.get()
    }

    /// Leases a pooled connection, makes sure it is connected, runs `body` with it on
    /// the thread pool and returns the connection to the pool (or discards it if broken).
    func withPooledConnection<T: Sendable>(
        _ body: @escaping @Sendable (RedisConnection) throws -> T
    ) async throws -> T {
        let leased = try await self.pool.acquire()
        let (connection, result) = await self.perform(on: leased, body)
        self.pool.release(connection)
        return try result.get()
    }

    /// Makes `leased` usable (health check, reconnect with backoff) and runs `body`
    /// with it on the thread pool.
    ///
    /// - Returns: the connection to give back (`nil` if it broke or could not be
    ///   established) and the outcome of `body`.
    func perform<T: Sendable>(
        on leased: RedisConnection?,
        _ body: @escaping @Sendable (RedisConnection) throws -> T
    ) async -> (RedisConnection?, Result<T, any Error>) {
        let connection: RedisConnection
        do {
            connection = try await self.ready(leased)
        } catch {
            return (nil, .failure(error))
        }
        do {
            let value = try await self.onThreadPool { try body(connection) }
            return (connection, .success(value))
        } catch {
            if connection.isBroken {
                self.logger.debug("discarding broken Redis connection", metadata: ["error": "\(error)"])
                connection.close()
                return (nil, .failure(error))
            }
            return (connection, .failure(error))
        }
    }

    /// Runs blocking work on the client's thread pool, mapping a stopped pool to
    /// ``RedisConnectionError/Kind/shutdown``.
    func onThreadPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        do {
            return try await self.threadPool.runIfActive(body)
        } catch is NIOThreadPoolError.ThreadPoolInactive {
            throw RedisConnectionError.clientShutDown
        } catch let error as CancellationError {
            if self.isShutDown {
                throw RedisConnectionError.clientShutDown
            }
            throw error
        }
    }
}

/// Ignores `SIGPIPE` once per process (see ``RedisClient``).
private let ignoreSIGPIPE: Void = {
    _ = signal(SIGPIPE, SIG_IGN)
}()
