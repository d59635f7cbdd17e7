import Synchronization

/// A connection reserved for one caller, for blocking commands such as
/// `XREADGROUP … BLOCK ms` or `BLPOP`, obtained with
/// ``RedisClient/withDedicatedConnection(_:)``.
///
/// It runs one command at a time (a second concurrent command fails with
/// ``RedisConnectionError`` `.invalidUse`) and must not be used after the closure it
/// was passed to returns. Like pooled connections, it reconnects (AUTH + SELECT) with
/// backoff after the connection broke, and never re-sends a command.
public final class RedisDedicatedConnection: RedisCommandSending {
    private struct State {
        var connection: RedisConnection?
        var inUse = false
        var isValid = true
    }

    private let client: RedisClient
    private let state: Mutex<State>

    /// Wraps a slot leased from the client's dedicated pool (`nil`: not connected yet).
    init(client: RedisClient, connection: RedisConnection?) {
        self.client = client
        self.state = Mutex(State(connection: connection))
    }

    /// Sends one command on this connection and returns its reply.
    public func send(_ command: [RedisArgument]) async throws -> RedisValue {
        try await self.run { connection in
            try connection.execute(command)
        }.get()
    }

    /// Sends a command that may block on the server for up to `blockingTime`; the
    /// socket timeout is raised to ``RedisConfiguration/commandTimeout`` +
    /// `blockingTime` for this command only.
    public func sendBlocking(_ command: [RedisArgument], blockingTime: Duration) async throws -> RedisValue {
        try await self.run { connection in
            try connection.withExtendedTimeout(blockingTime) {
                try connection.execute(command)
            }
        }.get()
    }

    private func run<T: Sendable>(_ body: @escaping @Sendable (RedisConnection) throws -> T) async throws -> T {
        let leased: RedisConnection? = try self.state.withLock { state in
            guard state.isValid else {
                throw RedisConnectionError(.invalidUse, "dedicated Redis connection used after its closure returned")
            }
            guard !state.inUse else {
                throw RedisConnectionError(.invalidUse, "dedicated Redis connection is already running a command")
            }
            state.inUse = true
            defer { state.connection = nil }
            return state.connection
        }
        let (connection, result) = await self.client.perform(on: leased, body)
        let orphan: RedisConnection? = self.state.withLock { state in
            state.inUse = false
            if state.isValid {
                state.connection = connection
                return nil
            }
            return connection  // the closure already returned: nobody will release it
        }
        orphan?.close()
        return try result.get()
    }

    /// Ends the dedicated use and returns the connection to hand back to the pool
    /// (`nil` while a stray command is still running; that command closes it).
    func invalidate() -> RedisConnection? {
        self.state.withLock { state in
            state.isValid = false
            defer { state.connection = nil }
            return state.inUse ? nil : state.connection
        }
    }
}

extension RedisClient {
    /// Runs `body` with a connection reserved for it, for blocking commands
    /// (`XREADGROUP … BLOCK ms`, `BLPOP`, …) that would otherwise occupy a pooled
    /// connection. Blocking calls on it extend their timeout by the block time.
    ///
    /// Dedicated connections come from a separate set of
    /// ``RedisConfiguration/dedicatedConnectionLimit`` connections (each with its own
    /// thread), so they never starve ordinary commands; callers beyond the limit wait
    /// asynchronously. The connection is kept open for the next caller.
    public func withDedicatedConnection<T>(
        _ body: (RedisDedicatedConnection) async throws -> T
    ) async throws -> T {
        let leased = try await self.dedicatedPool.acquire()
        let dedicated = RedisDedicatedConnection(client: self, connection: leased)
        let result: T
        do {
            result = try await body(dedicated)
        } catch {
            self.dedicatedPool.release(dedicated.invalidate())
            throw error
        }
        self.dedicatedPool.release(dedicated.invalidate())
        return result
    }
}
