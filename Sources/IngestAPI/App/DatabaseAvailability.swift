import Hummingbird
import PostgresNIO
import Shared

/// Turns "PostgreSQL is unreachable" into `503 Service Unavailable` with `Retry-After`, so that a
/// database outage is never answered with a 500 or with a 2xx for something not committed.
enum DatabaseAvailability {
    /// Longest a request waits for the database before answering 503.
    static let timeout: Duration = .seconds(10)

    static var unavailable: APIError {
        APIError(
            .serviceUnavailable,
            code: "database_unavailable",
            message: "the lead database is temporarily unavailable; nothing was stored, retry later",
            headers: [.retryAfter: "5"]
        )
    }

    /// Runs `body` with a time limit, mapping connection failures and timeouts to 503.
    static func guarding<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        do {
            return try await withTimeout(timeout, operation: "database") { try await body() }
        } catch let error as PSQLError where isConnectionProblem(error) || error.isConflict {
            // A conflict here outlasted the statement's own retries: nothing was stored; try again.
            throw unavailable
        } catch let error as PostgresTransactionError {
            // Other transaction errors (HTTP and store errors from the closure) are mapped by ErrorMappingMiddleware.
            if let psql = (error.beginError ?? error.commitError ?? error.closureError) as? PSQLError, isConnectionProblem(psql) {
                throw unavailable
            }
            // Still conflicting with concurrent writers after the retries: nothing was stored; try again.
            if PostgresClient.isConflict(error) { throw unavailable }
            throw error
        } catch is TimeoutError {
            throw unavailable
        }
    }

    static func isConnectionProblem(_ error: PSQLError) -> Bool {
        PostgresUnavailability.isConnectionProblem(error)
    }
}
