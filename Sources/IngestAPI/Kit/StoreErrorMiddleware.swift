import Hummingbird
import Shared

/// Maps store errors to HTTP at the edge: not found → 404 (also for another tenant's ids, so
/// ids do not leak), invalid → 422, conflict → 409.
struct StoreErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as StoreError {
            switch error {
            case .notFound: throw APIError(.notFound, code: "not_found", message: error.description)
            case .invalid(let field, let message):
                throw APIError(.unprocessableContent, code: "invalid", message: error.description, details: [FieldIssue(field: field, message: message)])
            case .conflict: throw APIError(.conflict, code: "conflict", message: error.description)
            }
        }
    }
}
