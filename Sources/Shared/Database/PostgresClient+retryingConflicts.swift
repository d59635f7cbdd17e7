import Logging
import PostgresNIO

extension PostgresClient {
    /// Runs `body` in a transaction, running it again (up to `attempts` times) when PostgreSQL
    /// aborts it for a deadlock (`40P01`) or a serialization failure (`40001`) — conflicts between
    /// concurrent writers of the same keys that succeed when simply retried.
    public func withTransactionRetryingConflicts<T: Sendable>(
        logger: Logger,
        attempts: Int = 3,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await retryingConflicts(logger: logger, attempts: attempts) {
            try await withTransaction(logger: logger) { connection in try await body(connection) }
        }
    }

    /// Runs `body` — one statement or a whole transaction that PostgreSQL rolls back whole on a
    /// conflict — again (up to `attempts` times) when it fails on a deadlock or serialization failure.
    public func retryingConflicts<T: Sendable>(
        logger: Logger,
        attempts: Int = 3,
        _ body: () async throws -> T
    ) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await body()
            } catch  where attempt < attempts && DatabaseFailure(error) == .conflict {
                logger.info("conflicted with a concurrent writer; retrying", metadata: ["attempt": "\(attempt)"])
                attempt += 1
                try await Task.sleep(for: .milliseconds(Int.random(in: 5...50) * attempt))
            }
        }
    }
}
