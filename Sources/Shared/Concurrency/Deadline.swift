/// The operation did not finish within its time limit.
public struct TimeoutError: Error, CustomStringConvertible, Sendable {
    /// What timed out, for the error message.
    public var operation: String
    public var limit: Duration

    public var description: String { "\(operation) timed out after \(limit)" }
}

/// Runs `body`, cancelling it and throwing ``TimeoutError`` when it takes longer than `limit`.
/// The limit is an event-loop timer removed as soon as `body` finishes (``sleepOnEventLoop(for:on:)``),
/// so a limit that is never reached costs no memory after the call returns.
public func withTimeout<T: Sendable>(
    _ limit: Duration,
    operation: String,
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await sleepOnEventLoop(for: limit)
            throw TimeoutError(operation: operation, limit: limit)
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw TimeoutError(operation: operation, limit: limit) }
        return first
    }
}
