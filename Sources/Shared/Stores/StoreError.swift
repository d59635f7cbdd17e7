import PostgresNIO

/// A problem reported by a store in words an operator can act on.
public enum StoreError: Error, CustomStringConvertible, Equatable, Sendable {
    /// No `kind` with that id or name (within the caller's tenant).
    case notFound(kind: String, reference: String)
    /// The value clashes with an existing one (e.g. a duplicate name).
    case conflict(String)
    /// A field value is not acceptable.
    case invalid(field: String, message: String)

    public var description: String {
        switch self {
        case .notFound(let kind, let reference): "no \(kind) '\(reference)'"
        case .conflict(let message): message
        case .invalid(let field, let message): "\(field): \(message)"
        }
    }

    /// Maps PostgreSQL constraint violations to store errors; other errors are returned unchanged.
    static func translate(_ error: any Error, entity: String) -> any Error {
        guard let psql = error as? PSQLError, let failure = DatabaseFailure(psql) else { return error }
        switch failure {
        case .uniqueViolation(let constraint):
            return StoreError.conflict("a \(entity) with that \(constraint.contains("name") ? "name" : "value") already exists")
        case .checkViolation(let constraint): return StoreError.invalid(field: constraint, message: "violates \(constraint)")
        case .foreignKeyViolation(let constraint): return StoreError.invalid(field: constraint, message: "refers to something that does not exist")
        case .invalidTextRepresentation(let message): return StoreError.invalid(field: entity, message: message ?? "invalid value")
        case .unavailable, .conflict, .unstorableText: return error
        }
    }
}

extension PostgresClient {
    /// Runs `body`, translating constraint violations into ``StoreError``s about `entity`.
    func translatingErrors<T>(entity: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw StoreError.translate(error, entity: entity)
        }
    }
}
