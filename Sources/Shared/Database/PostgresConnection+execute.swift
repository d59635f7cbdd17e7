import Logging
import PostgresNIO

extension PostgresConnection {
    /// Runs a statement and reads its result to the end, so that a server error surfaces here
    /// rather than in a later statement of the same transaction.
    public func execute(_ query: PostgresQuery, logger: Logger) async throws {
        for try await _ in try await self.query(query, logger: logger) {}
    }
}

extension PostgresClient {
    /// Runs a statement and reads its result to the end (see ``PostgresNIO/PostgresConnection/execute(_:logger:)``).
    public func execute(_ query: PostgresQuery, logger: Logger) async throws {
        for try await _ in try await self.query(query, logger: logger) {}
    }
}
