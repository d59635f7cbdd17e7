extension RedisClient {
    /// How many commands are written before their replies are read; bounds the
    /// client-side buffers of a very large pipeline.
    static let pipelineBatchSize = 1024

    /// Sends many commands on one connection without waiting for each reply, and
    /// returns one result per command, in order.
    ///
    /// An error reply fails only its own entry (`.failure(RedisServerError)`); the
    /// others still succeed. Commands are written in batches of
    /// ``pipelineBatchSize`` and their replies read before the next batch, so pipelines
    /// of any length (10,000 commands and more) work with bounded memory.
    ///
    /// - Throws: ``RedisConnectionError`` if the connection fails part-way; the
    ///   commands sent so far may have been executed, none is re-sent.
    public func pipeline(_ commands: [[RedisArgument]]) async throws -> [Result<RedisValue, RedisServerError>] {
        guard !commands.isEmpty else {
            return []
        }
        return try await self.withPooledConnection { connection in
            var results: [Result<RedisValue, RedisServerError>] = []
            results.reserveCapacity(commands.count)
            var start = commands.startIndex
            while start < commands.endIndex {
                let end = min(start + Self.pipelineBatchSize, commands.endIndex)
                var queued: [Bool] = []
                queued.reserveCapacity(end - start)
                for command in commands[start..<end] {
                    queued.append(try connection.append(command))
                }
                for wasQueued in queued {
                    if wasQueued {
                        results.append(try connection.readReply())
                    } else {
                        results.append(.failure(RedisServerError(message: "ERR empty command (rejected by client)")))
                    }
                }
                start = end
            }
            return results
        }
    }
}
