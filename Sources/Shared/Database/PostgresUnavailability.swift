import PostgresNIO

/// Telling "PostgreSQL cannot be reached right now" apart from errors in what we sent.
public enum PostgresUnavailability {
    /// Whether `error` (a `PSQLError`, or a transaction error wrapping one) means the database could
    /// not be reached or went away: a retry later may succeed, nothing is wrong with the statement.
    public static func isUnavailable(_ error: any Error) -> Bool {
        if let error = error as? PSQLError { return isConnectionProblem(error) }
        if let error = error as? PostgresTransactionError,
            let inner = (error.beginError ?? error.commitError ?? error.closureError) as? PSQLError
        {
            return isConnectionProblem(inner)
        }
        return false
    }

    /// Connection-level failures, and the server's "cannot connect now" / "shutting down" / admin
    /// shutdown (SQLSTATE classes 57P and 08).
    public static func isConnectionProblem(_ error: PSQLError) -> Bool {
        switch error.code {
        case .connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection, .poolClosed, .queryCancelled:
            return true
        default:
            if let state = error.serverInfo?[.sqlState] { return state.hasPrefix("57P") || state.hasPrefix("08") }
            return false
        }
    }
}
