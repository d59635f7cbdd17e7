import PostgresNIO

extension PostgresClient {
    /// Runs `body` — one read of a request's database work — on a leased connection for at most
    /// ``DatabaseUnavailable/timeLimit``. Past the limit the connection is closed instead of
    /// waiting for an answer a stalled server may never send (``withAbandonableConnection(_:)``;
    /// `withDatabaseTimeLimit` alone cannot end a query already sent), and ``DatabaseUnavailable``
    /// is thrown: the edge answers 503. For reads only: nothing is left half-done when the
    /// connection goes.
    public func readWithinTimeLimit<Result: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await withDatabaseTimeLimit { try await self.withAbandonableConnection { try await body($0) } }
    }
}
