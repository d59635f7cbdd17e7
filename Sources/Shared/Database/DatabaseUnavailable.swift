/// PostgreSQL could not be reached, or did not answer within ``DatabaseUnavailable/timeLimit``:
/// nothing was stored, and the same request may succeed later. The HTTP edge answers it 503 with
/// `Retry-After` (`ErrorMappingMiddleware`), like a ``DatabaseFailure`` that ``DatabaseFailure/isTransient``.
public struct DatabaseUnavailable: Error, CustomStringConvertible, Sendable {
    /// Longest one step of a request's database work waits before it is given up. The connection
    /// pool queues work while PostgreSQL is unreachable and has no limit of its own.
    public static let timeLimit: Duration = .seconds(10)

    /// What did not finish in time.
    public var description: String

    /// Creates the error for `operation`.
    public init(_ operation: String) {
        self.description = operation
    }

    /// Whether `error` says PostgreSQL is not there to answer: this time limit passed, or the
    /// connection failed or was closed (``DatabaseFailure/unavailable``).
    public static func describes(_ error: any Error) -> Bool {
        error is DatabaseUnavailable || DatabaseFailure(error) == .unavailable
    }
}

/// Runs `body` — one step of a request's database work — for at most
/// ``DatabaseUnavailable/timeLimit``, throwing ``DatabaseUnavailable`` when it takes longer. Errors
/// of the database itself are thrown as they are and classified at the edge (``DatabaseFailure``).
public func withDatabaseTimeLimit<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
    do {
        return try await withTimeout(DatabaseUnavailable.timeLimit, operation: "database") { try await body() }
    } catch let error as TimeoutError {
        throw DatabaseUnavailable(error.description)
    }
}
