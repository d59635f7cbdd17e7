import PostgresNIO

/// What a failed PostgreSQL statement or transaction means for its caller, read from the error's
/// SQLSTATE or its client-side code. Every SQLSTATE LeadRelay reacts to is named in this file and
/// nowhere else; the HTTP edge answers ``isTransient`` failures 503 (`ErrorMappingMiddleware`).
public enum DatabaseFailure: Sendable, Hashable {
    /// PostgreSQL could not be reached or went away: a retry later may succeed, nothing is wrong
    /// with the statement. Connection-level failures, and the server's "cannot connect now",
    /// "shutting down" and admin shutdown (SQLSTATE classes `08` and `57P`).
    case unavailable
    /// Rolled back whole for a deadlock (`40P01`) or a serialization failure (`40001`): conflicts
    /// between concurrent writers of the same keys, safe to simply run again.
    case conflict
    /// `23505` unique_violation of `constraint`.
    case uniqueViolation(constraint: String)
    /// `23514` check_violation of `constraint`.
    case checkViolation(constraint: String)
    /// `23503` foreign_key_violation of `constraint`.
    case foreignKeyViolation(constraint: String)
    /// `22P02` invalid_text_representation (e.g. a malformed UUID), with the server's message.
    case invalidTextRepresentation(message: String?)
    /// A text or JSON value PostgreSQL cannot store: `22021` character_not_in_repertoire (U+0000
    /// in text) or `22P05` untranslatable_character (`\u0000` in jsonb).
    case unstorableText

    /// The SQLSTATE codes named above.
    enum SQLState {
        static let deadlockDetected = "40P01"
        static let serializationFailure = "40001"
        static let uniqueViolation = "23505"
        static let checkViolation = "23514"
        static let foreignKeyViolation = "23503"
        static let invalidTextRepresentation = "22P02"
        static let characterNotInRepertoire = "22021"
        static let untranslatableCharacter = "22P05"
        /// Class `08`: connection exception.
        static let connectionExceptionClass = "08"
        /// Class `57P`: operator intervention (admin shutdown, crash shutdown, cannot connect now).
        static let operatorInterventionClass = "57P"
    }

    /// Classifies `error`: a `PSQLError`, or a `PostgresTransactionError` by the `PSQLError` that
    /// failed its BEGIN, COMMIT or body. nil for anything else, and for SQLSTATEs not named here.
    public init?(_ error: any Error) {
        if let error = error as? PSQLError {
            self.init(error)
        } else if let error = error as? PostgresTransactionError,
            let psql = [error.beginError, error.commitError, error.closureError].lazy.compactMap({ $0 as? PSQLError }).first
        {
            self.init(psql)
        } else {
            return nil
        }
    }

    /// Classifies one `PSQLError` by its client-side code, then its SQLSTATE.
    public init?(_ error: PSQLError) {
        switch error.code {
        case .connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection, .poolClosed, .queryCancelled:
            self = .unavailable
            return
        default:
            break
        }
        guard let state = error.serverInfo?[.sqlState] else { return nil }
        let constraint = error.serverInfo?[.constraintName] ?? ""
        switch state {
        case SQLState.deadlockDetected, SQLState.serializationFailure: self = .conflict
        case SQLState.uniqueViolation: self = .uniqueViolation(constraint: constraint)
        case SQLState.checkViolation: self = .checkViolation(constraint: constraint)
        case SQLState.foreignKeyViolation: self = .foreignKeyViolation(constraint: constraint)
        case SQLState.invalidTextRepresentation: self = .invalidTextRepresentation(message: error.serverInfo?[.message])
        case SQLState.characterNotInRepertoire, SQLState.untranslatableCharacter: self = .unstorableText
        case _ where state.hasPrefix(SQLState.connectionExceptionClass) || state.hasPrefix(SQLState.operatorInterventionClass):
            self = .unavailable
        default: return nil
        }
    }

    /// Whether nothing was stored and the same work may succeed when tried again later: the
    /// database is unavailable, or a conflict outlasted its retries.
    public var isTransient: Bool {
        self == .unavailable || self == .conflict
    }
}
