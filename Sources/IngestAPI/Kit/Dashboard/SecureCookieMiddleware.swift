import HTTPTypes
import Hummingbird
import HummingbirdAuth

/// Marks the dashboard's cookies `Secure` when the browser talks HTTPS: always when forced by
/// configuration, or (`auto`) when the proxy in front says `X-Forwarded-Proto: https`.
/// Locally over plain HTTP the cookies stay usable.
struct SecureCookieMiddleware<Context: RequestContext>: RouterMiddleware {
    /// nil: decide per request from `X-Forwarded-Proto`.
    let forced: Bool?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        let secure = forced ?? (request.headers[.xForwardedProto]?.lowercased().hasPrefix("https") == true)
        guard secure else { return response }
        let cookies = response.headers[values: .setCookie]
        guard !cookies.isEmpty else { return response }
        response.headers[values: .setCookie] = cookies.map { cookie in
            cookie.lowercased().contains("; secure") ? cookie : cookie + "; Secure"
        }
        return response
    }
}
