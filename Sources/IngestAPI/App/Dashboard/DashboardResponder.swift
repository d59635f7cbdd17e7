import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import NIOCore
import Shared

/// Renders dashboard pages with the security headers every HTML page of the dashboard carries.
struct DashboardResponder: Sendable {
    let templates: DashboardTemplates

    /// Headers of every dashboard page: no caching, no framing, scripts and styles from this origin only.
    static let pageHeaders: HTTPFields = [
        .contentType: "text/html; charset=utf-8",
        .cacheControl: "no-store",
        .xContentTypeOptions: "nosniff",
        .referrerPolicy: "same-origin",
        .xFrameOptions: "DENY",
        .contentSecurityPolicy:
            "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ]

    /// `template` rendered with `view` as an HTML response.
    func page(_ template: String, _ view: Any, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: Self.pageHeaders, body: .init(byteBuffer: ByteBuffer(string: templates.render(view, template: template))))
    }

    /// The layout's chrome for the signed-in user of `context`, with `notice` or else the notice the
    /// session holds (then taken out of it: it shows once). A notice never comes from the URL.
    func chrome(_ request: Request, _ context: AppRequestContext, notice: String? = nil, problem: String? = nil) throws -> DashboardChrome {
        let user = try context.requireDashboardUser()
        return DashboardChrome(
            user: user,
            csrf: context.sessions.session?.csrfToken ?? "",
            path: request.uri.path,
            notice: notice ?? context.takeSessionNotice(),
            problem: problem
        )
    }

    /// A message page (not found, refused, done).
    func message(
        _ request: Request,
        _ context: AppRequestContext,
        status: HTTPResponse.Status,
        heading: String,
        text: String,
        backHref: String? = nil
    ) throws -> Response {
        struct View {
            var chrome: DashboardChrome
            var heading: String
            var text: String
            var backHref: String?
        }
        return page("message", View(chrome: try chrome(request, context), heading: heading, text: text, backHref: backHref), status: status)
    }

    /// A 303 to `path`.
    static func redirect(_ path: String) -> Response {
        Response(status: .seeOther, headers: [.location: path, .cacheControl: "no-store"])
    }

    /// A 303 to `path` whose page shows `notice` once. The text travels in the session, not in the
    /// URL, so that no link can make a signed-in page show words of someone else's choosing.
    static func redirect(_ path: String, notice: String, context: AppRequestContext) -> Response {
        context.sessions.withLockedSession { $0?.notice = notice }
        return redirect(path)
    }

    /// The decoded query value `name`, when present and not empty.
    static func query(_ request: Request, _ name: String) -> String? {
        LeadsController.queryValue(request, name).flatMap { $0.isEmpty ? nil : $0 }
    }
}

extension AppRequestContext {
    /// The signed-in dashboard user (routes behind ``DashboardAuthMiddleware`` always have one).
    func requireDashboardUser() throws -> DashboardUser {
        guard let dashboardUser else { throw APIError(.unauthorized, code: "signed_out", message: "sign in to the dashboard") }
        return dashboardUser
    }

    /// The session's notice, removed from the session (which is then saved) so that it shows once.
    func takeSessionNotice() -> String? {
        sessions.withLockedSession { data in
            guard let notice = data?.notice else { return nil }
            data?.notice = nil
            return notice
        }
    }

    /// The submitted dashboard form (unsafe requests behind ``DashboardAuthMiddleware``).
    func requireDashboardForm() throws -> FormBody {
        guard let dashboardForm else { throw APIError(.badRequest, code: "form_missing", message: "this action needs a form submission") }
        return dashboardForm
    }
}

extension HTTPField.Name {
    /// `X-Frame-Options`.
    static let xFrameOptions = constant("X-Frame-Options")
}
