import HTTPTypes
import Hummingbird
import HummingbirdAuth

/// Marks the dashboard's cookies `Secure` when the browser talks HTTPS: always when forced by
/// configuration, or (`auto`) when a trusted proxy in front says `X-Forwarded-Proto: https`
/// (see ``RequestOrigin``). Locally over plain HTTP the cookies stay usable.
struct SecureCookieMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    /// nil: decide per request from a trusted proxy's `X-Forwarded-Proto`.
    let forced: Bool?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        let secure = forced ?? context.origin.forwardedHTTPS
        guard secure else { return response }
        let cookies = response.headers[values: .setCookie]
        guard !cookies.isEmpty else { return response }
        response.headers[values: .setCookie] = cookies.map { cookie in
            cookie.lowercased().contains("; secure") ? cookie : cookie + "; Secure"
        }
        return response
    }
}
