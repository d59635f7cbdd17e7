import PostgresNIO

extension PostgresClient {
    /// Runs `body` on a leased connection that is closed if the task is cancelled while `body`
    /// runs. PostgresNIO does not give up a query already sent when its task is cancelled: it
    /// waits for the server's answer, so a stalled or unreachable server would hold the caller
    /// past any time limit (``withDatabaseTimeLimit(_:)``). Closing the connection ends the wait
    /// with a connection error, and the pool opens a new one. Whether a statement that was sent
    /// took effect is then unknown: use it where the caller answers "unavailable, try again" and
    /// a retry is safe (the intake's writes, which deduplicate).
    public func withAbandonableConnection<Result: Sendable>(
        _ body: @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await withConnection { connection in
            try await withTaskCancellationHandler {
                try await body(connection)
            } onCancel: {
                connection.close().whenComplete { _ in }
            }
        }
    }
}
