/// Something that sends Redis commands: a ``RedisClient`` (pooled connections) or a
/// ``RedisDedicatedConnection``. Typed helpers such as the stream commands and
/// ``evalScript(_:keys:arguments:)`` are written once against this protocol.
public protocol RedisCommandSending: Sendable {
    /// Sends one command and returns its reply.
    ///
    /// - Throws: ``RedisServerError`` for an error reply, ``RedisConnectionError`` when
    ///   the connection fails.
    func send(_ command: [RedisArgument]) async throws -> RedisValue

    /// Sends a command that may legitimately wait on the server for up to
    /// `blockingTime` (e.g. `XREADGROUP … BLOCK`), extending the socket timeout by it.
    func sendBlocking(_ command: [RedisArgument], blockingTime: Duration) async throws -> RedisValue
}

extension RedisClient: RedisCommandSending {
    /// Sends a blocking command on a *pooled* connection, which stays occupied for the
    /// whole block time. Prefer ``withDedicatedConnection(_:)`` for long blocks.
    public func sendBlocking(_ command: [RedisArgument], blockingTime: Duration) async throws -> RedisValue {
        try await self.withPooledConnection { connection in
            try connection.withExtendedTimeout(blockingTime) {
                try connection.execute(command)
            }
        }.get()
    }
}
