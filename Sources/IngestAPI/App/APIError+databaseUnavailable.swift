import Hummingbird

extension APIError {
    /// The answer when PostgreSQL is unreachable or too slow (``DatabaseUnavailable``, or a
    /// transient ``DatabaseFailure``): 503 with `Retry-After`, so that a database outage is never
    /// answered with a 500 or with a 2xx for something not committed.
    static var databaseUnavailable: APIError {
        APIError(
            .serviceUnavailable,
            code: "database_unavailable",
            message: "the lead database is temporarily unavailable; nothing was stored, retry later",
            headers: [.retryAfter: "5"]
        )
    }
}
