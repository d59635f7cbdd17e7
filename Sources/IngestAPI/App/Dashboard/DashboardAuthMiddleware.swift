import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import Logging
import Shared

/// Guards `/dashboard`: a session of an enabled user is required (pages redirect to the sign-in
/// page, other requests get 401), and every unsafe request must carry the session's CSRF token,
/// either as the form field `_csrf` (the form is then parsed once into the context) or as the
/// `X-CSRF-Token` header (uploads that stream their body). Cross-origin posts are refused.
struct DashboardAuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let users: UserStore
    /// Largest dashboard form accepted.
    static let maximumFormBytes = 256 * 1024

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let session = context.sessions.session,
            let user = try await withDatabaseTimeLimit({ try await users.find(id: session.userId) }), user.enabled
        else {
            context.sessions.clearSession()
            if request.method == .get || request.method == .head {
                return Response.redirect(
                    to: "/login?next=" + Self.percentEncoded(request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")),
                    type: .found
                )
            }
            throw APIError(.unauthorized, code: "signed_out", message: "your session has ended; sign in again")
        }
        var context = context
        context.dashboardUser = user
        context.logger[metadataKey: "user_id"] = .string(user.id.uuidString)
        context.accessLog.set("user_id", .string(user.id.uuidString))
        if ![.get, .head].contains(request.method) {
            try Self.checkOrigin(request, context)
            if let header = request.headers[.csrfToken] {
                guard ConstantTime.equals(header.utf8, session.csrfToken.utf8) else { throw Self.csrfFailure }
            } else {
                // Without the header, only a form can carry the token.
                let type = request.headers[.contentType]?.lowercased() ?? ""
                guard type.hasPrefix("application/x-www-form-urlencoded") || type.hasPrefix("multipart/form-data") else { throw Self.csrfFailure }
                let body = try await LeadsController.collect(request, limit: Self.maximumFormBytes)
                let form = try FormBody(body: ByteBuffer(bytes: body), contentType: request.headers[.contentType] ?? "")
                guard let token = form.value("_csrf"), ConstantTime.equals(token.utf8, session.csrfToken.utf8) else { throw Self.csrfFailure }
                context.dashboardForm = form
            }
        }
        return try await next(request, context)
    }

    static let csrfFailure = APIError(
        .forbidden,
        code: "csrf",
        message: "this form has expired or did not come from the dashboard; reload the page and try again"
    )

    /// Refuses a request whose `Origin` (or, without one, `Referer`) names another host than the
    /// one the browser used: the request's own, or the one a trusted proxy reports.
    static func checkOrigin(_ request: Request, _ context: AppRequestContext) throws {
        guard let origin = request.headers[.origin] ?? request.headers[.referer] else { return }
        guard origin != "null", let host = URLComponents(string: origin)?.host else { throw csrfFailure }
        let authority: String = context.origin.forwardedHost ?? request.head.authority ?? ""
        let expected = authority.split(separator: ":").first.map(String.init) ?? ""
        guard host.caseInsensitiveCompare(expected) == .orderedSame else { throw csrfFailure }
    }

    /// `text` percent-encoded for a query value.
    static func percentEncoded(_ text: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}

extension HTTPField.Name {
    /// `X-CSRF-Token`: the session's CSRF token on requests that are not form posts.
    static let csrfToken = constant("X-CSRF-Token")
    /// `X-Forwarded-Host`: the host the browser used, when behind a proxy.
    static let xForwardedHost = constant("X-Forwarded-Host")
    /// `X-Forwarded-Proto`: `https` when a proxy terminated TLS.
    static let xForwardedProto = constant("X-Forwarded-Proto")
    /// `X-Forwarded-For`: the client address chain, when behind a proxy.
    static let xForwardedFor = constant("X-Forwarded-For")
}
