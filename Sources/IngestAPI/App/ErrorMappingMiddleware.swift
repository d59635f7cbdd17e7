import Hummingbird
import Logging
import PostgresNIO
import Shared

/// Maps errors to HTTP at the edge: store errors (not found → 404, also for another tenant's
/// ids so ids do not leak; invalid → 422; conflict → 409), HTTP errors as they are, a database
/// that is unreachable, too slow or still conflicting after retries (``DatabaseUnavailable``, a
/// transient ``DatabaseFailure``) → 503 with `Retry-After`, and anything unexpected to a logged
/// 500 whose body says nothing internal.
struct ErrorMappingMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError {
            throw error
        } catch let error as StoreError {
            throw Self.map(error)
        } catch is DatabaseUnavailable {
            throw APIError.databaseUnavailable
        } catch let error as PostgresTransactionError {
            if let inner = error.closureError as? any HTTPResponseError { throw inner }
            if let inner = error.closureError as? StoreError { throw Self.map(inner) }
            if DatabaseFailure(error)?.isTransient == true { throw APIError.databaseUnavailable }
            throw unexpected(error, context: context)
        } catch let error where DatabaseFailure(error)?.isTransient == true {
            // Nothing was stored: PostgreSQL went away, or a conflict outlasted the statement's retries.
            throw APIError.databaseUnavailable
        } catch {
            throw unexpected(error, context: context)
        }
    }

    static func map(_ error: StoreError) -> APIError {
        switch error {
        case .notFound: APIError(.notFound, code: "not_found", message: error.description)
        case .invalid(let field, let message):
            APIError(.unprocessableContent, code: "invalid", message: error.description, details: [FieldIssue(field: field, message: message)])
        case .conflict: APIError(.conflict, code: "conflict", message: error.description)
        }
    }

    private func unexpected(_ error: any Error, context: Context) -> APIError {
        context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
        return APIError(.internalServerError, code: "internal", message: "internal error; it has been logged")
    }
}
