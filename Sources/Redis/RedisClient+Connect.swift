import Logging

extension RedisClient {
    /// Returns `leased` if it is still open, otherwise connects a new connection.
    func ready(_ leased: RedisConnection?) async throws -> RedisConnection {
        if let leased {
            if leased.isAlive() {
                return leased
            }
            self.logger.debug("discarding Redis connection closed by the server")
            leased.close()
        }
        return try await self.connect(deadline: .now + self.configuration.commandTimeout)
    }

    /// Opens a connection, retrying network failures with exponential backoff
    /// (``RedisConfiguration/reconnectBackoffBase`` doubling up to
    /// ``RedisConfiguration/reconnectBackoffMax``) for at most
    /// ``RedisConfiguration/reconnectAttempts`` tries and never past `deadline`.
    private func connect(deadline: ContinuousClock.Instant) async throws -> RedisConnection {
        var delay = self.configuration.reconnectBackoffBase
        var attempt = 1
        while true {
            var configuration = self.configuration
            let remaining = ContinuousClock.now.duration(to: deadline)
            configuration.connectTimeout = max(.milliseconds(10), min(configuration.connectTimeout, remaining))
            let attemptConfiguration = configuration
            do {
                let connection = try await self.onThreadPool {
                    try RedisConnection.connect(attemptConfiguration)
                }
                if attempt > 1 {
                    self.logger.info("reconnected to Redis", metadata: ["attempt": "\(attempt)"])
                } else {
                    self.logger.debug("connected to Redis")
                }
                return connection
            } catch let error as RedisConnectionError where error.isRetryableConnectFailure {
                let nextAttemptAt = ContinuousClock.now + delay
                guard attempt < self.configuration.reconnectAttempts, nextAttemptAt < deadline else {
                    self.logger.warning(
                        "cannot connect to Redis",
                        metadata: ["attempts": "\(attempt)", "error": "\(error)"]
                    )
                    throw error
                }
                self.logger.debug(
                    "Redis connect attempt failed, retrying",
                    metadata: ["attempt": "\(attempt)", "retryIn": "\(delay)", "error": "\(error)"]
                )
                try await Task.sleep(until: nextAttemptAt, clock: .continuous)
                delay = min(delay * 2, self.configuration.reconnectBackoffMax)
                attempt += 1
            }
        }
    }
}

extension RedisConnectionError {
    /// Whether a fresh connect attempt could succeed (network trouble, not a rejected
    /// `AUTH`/`SELECT` or a shut-down client).
    var isRetryableConnectFailure: Bool {
        switch self.kind {
        case .connectFailed, .timeout, .closed, .io:
            return true
        case .setupFailed, .shutdown, .invalidUse:
            return false
        }
    }
}
