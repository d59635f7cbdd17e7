import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import Logging
import NIOCore
import Shared

/// `GET/POST /login` and sign-out. The sign-in form is protected by a double-submit token (a
/// cookie and a hidden field that must match); success starts a new session with its own CSRF
/// token. Failures are throttled per email and client address and do not say which part was wrong;
/// password checks beyond the hasher's cap on concurrent checks are refused with `Retry-After`,
/// except that a browser that signed in to the account before has a lane of its own (``KnownSignInDevices``).
struct LoginController: Sendable {
    let users: UserStore
    let audit: AuditLog
    let hasher: PasswordHasher
    let throttle: LoginThrottle
    let devices: KnownSignInDevices
    let responder: DashboardResponder
    let logger: Logger

    static let loginCookie = "lr_login"
    /// Seconds a sign-in refused for want of a free password check is asked to wait.
    static let busyRetryAfterSeconds = 1

    struct LoginView {
        var csrf: String
        var email: String
        var next: String
        var problem: String?
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("login") { request, context in
            if context.sessions.session != nil { return DashboardResponder.redirect(Self.safeNext(DashboardResponder.query(request, "next"))) }
            return loginPage(next: DashboardResponder.query(request, "next"), email: "", problem: nil)
        }
        group.post("login") { request, context in try await signIn(request, context) }
    }

    private func loginPage(next: String?, email: String, problem: String?, status: HTTPResponse.Status = .ok) -> Response {
        let token = RandomToken.make(length: 32)
        var response = responder.page("login", LoginView(csrf: token, email: email, next: Self.safeNext(next), problem: problem), status: status)
        response.setCookie(Cookie(name: Self.loginCookie, value: token, path: "/login", httpOnly: true, sameSite: .strict))
        return response
    }

    private func signIn(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try DashboardAuthMiddleware.checkOrigin(request, context)
        let body = try await LeadsController.collect(request, limit: FormBody.maximumBytes)
        let form = try FormBody(body: ByteBuffer(bytes: body), contentType: request.headers[.contentType] ?? "")
        let email = (form.value("email") ?? "").trimmingCharacters(in: .whitespaces)
        let next = form.value("next")
        guard let cookie = request.cookies[Self.loginCookie], let field = form.value("_csrf"), ConstantTime.equals(cookie.value.utf8, field.utf8)
        else {
            return loginPage(next: next, email: email, problem: "The sign-in form expired. Please try again.", status: .forbidden)
        }
        let password = form.value("password") ?? ""
        guard !email.isEmpty, !password.isEmpty else {
            return loginPage(next: next, email: email, problem: "Enter your email and password.", status: .unprocessableContent)
        }
        let address = context.clientAddress
        if let wait = await throttle.retryAfter(email: email, address: address) {
            var response = loginPage(
                next: next,
                email: email,
                problem: "Too many failed sign-in attempts. Try again in \(max(1, wait / 60)) minute\(wait >= 120 ? "s" : "").",
                status: .tooManyRequests
            )
            response.headers[.retryAfter] = "\(wait)"
            return response
        }
        let knownDevice = await devices.isKnown(request.cookies[KnownSignInDevices.cookieName]?.value, email: email)
        let credentials = try await withDatabaseTimeLimit { try await users.credentials(email: email) }
        // An unknown email costs a bcrypt comparison too, so timing does not reveal accounts.
        let matches: Bool
        do {
            matches = try await hasher.verify(
                password,
                hash: credentials?.passwordHash ?? PasswordHasher.decoyHash,
                for: knownDevice ? .knownDevice : .address(address)
            )
        } catch let refusal as PasswordCheckLimiter.Refusal {
            return busyPage(refusal, next: next, email: email)
        }
        guard let credentials, matches, credentials.user.enabled else {
            await throttle.recordFailure(email: email, address: address)
            try? await audit.record(
                actor: email,
                userId: credentials?.user.id,
                tenantId: credentials?.user.tenantId,
                action: "auth.login_failed",
                details: JSONText.encode(["reason": credentials == nil ? "unknown email" : (matches ? "disabled" : "wrong password")]),
                ip: address
            )
            return loginPage(next: next, email: email, problem: "That email and password do not match an active account.", status: .unauthorized)
        }
        let user = credentials.user
        context.sessions.createSession(DashboardSession(userId: user.id, csrfToken: RandomToken.make(length: 43), signedInAt: Date()))
        try await users.recordLogin(user.id)
        try await audit.record(actor: user.email, userId: user.id, tenantId: user.tenantId, action: "auth.login", ip: address)
        var response = DashboardResponder.redirect(Self.safeNext(next))
        response.setCookie(
            Cookie(name: Self.loginCookie, value: "", expires: Date(timeIntervalSince1970: 0), path: "/login", httpOnly: true, sameSite: .strict)
        )
        if !knownDevice, let device = await devices.remember(email: user.email) { response.setCookie(device) }
        return response
    }

    /// The sign-in page answering an attempt that found no free password check: 503 when the whole
    /// process is busy, 429 when this address already has a check running.
    private func busyPage(_ refusal: PasswordCheckLimiter.Refusal, next: String?, email: String) -> Response {
        let (status, problem): (HTTPResponse.Status, String) =
            switch refusal {
            case .serverBusy: (.serviceUnavailable, "Too many sign-ins are being checked right now. Please try again in a few seconds.")
            case .addressBusy: (.tooManyRequests, "Another sign-in from your network is being checked. Please try again in a moment.")
            }
        var response = loginPage(next: next, email: email, problem: problem, status: status)
        response.headers[.retryAfter] = "\(Self.busyRetryAfterSeconds)"
        return response
    }

    /// `next` when it is a dashboard path on this site, else the overview (no open redirects).
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/dashboard"), !next.hasPrefix("//"), !next.contains("\\"),
            !next.contains(where: { $0.isNewline })
        else { return "/dashboard" }
        return next
    }
}
