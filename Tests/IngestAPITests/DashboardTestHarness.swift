import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IngestAPIApp
import NIOCore
import PostgresNIO
import Shared
import TestSupport
import Testing

/// A live API with the dashboard, two seeded tenants and three users: an operator, a member of
/// tenant A and a member of tenant B (passwords hashed with the cheapest bcrypt cost).
struct DashboardTestHarness: Sendable {
    static let password = "correct horse battery"

    struct Users: Sendable {
        var operatorUser: DashboardUser
        var memberA: DashboardUser
        var memberB: DashboardUser
    }

    /// Runs `body` against a live server (whose sign-in password checks take slots of `passwordChecks`).
    static func run(
        extra: [String: String] = [:],
        passwordChecks: PasswordCheckLimiter = PasswordCheckLimiter(),
        _ body:
            @escaping @Sendable (any TestClientProtocol, IngestAPITestHarness.SeededTenant, IngestAPITestHarness.SeededTenant, Users, DataStores)
            async throws -> Void
    ) async throws {
        try await TestDatabase.withDatabase { database in
            let configuration = try TestEnvironment.configuration(
                database: database.configuration,
                redisKeyPrefix: TestEnvironment.uniqueName("lr"),
                extra: ["MIGRATE_ON_BOOT": "false", "PASSWORD_HASH_COST": "4"].merging(extra) { _, new in new }
            )
            let hasher = PasswordHasher(cost: 4)
            let (first, second, users) = try await database.withClient { client in
                let first = try await IngestAPITestHarness.seed(client, name: "Tenant A", configuration: configuration)
                let second = try await IngestAPITestHarness.seed(client, name: "Tenant B", configuration: configuration)
                let store = UserStore(client: client, logger: TestEnvironment.logger)
                let hash = try await hasher.hash(password)
                let users = Users(
                    operatorUser: try await store.create(email: "ops@example.com", passwordHash: hash, role: .operator, tenantId: nil),
                    memberA: try await store.create(email: "a@example.com", passwordHash: hash, role: .member, tenantId: first.tenant.id),
                    memberB: try await store.create(email: "b@example.com", passwordHash: hash, role: .member, tenantId: second.tenant.id)
                )
                return (first, second, users)
            }
            let stores = DataStores(configuration: configuration, logger: TestEnvironment.logger)
            let app = buildApplication(configuration: configuration, stores: stores, logger: TestEnvironment.logger, passwordChecks: passwordChecks)
            try await app.test(.live) { client in
                try await body(client, first, second, users, stores)
            }
        }
    }
}

/// A signed-in browser: the session cookie and the session's CSRF token.
struct DashboardBrowser: Sendable {
    let client: any TestClientProtocol
    var sessionCookie: String
    var csrf: String

    /// Signs in through the real form (GET /login for the form token, POST /login).
    static func signIn(
        _ client: any TestClientProtocol,
        email: String,
        password: String = DashboardTestHarness.password
    ) async throws -> DashboardBrowser {
        let form = try await client.execute(uri: "/login", method: .get)
        let loginCookie = try #require(cookie(named: "lr_login", in: form))
        let token = try #require(hiddenValue("_csrf", in: String(buffer: form.body)))
        let response = try await client.execute(
            uri: "/login",
            method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "lr_login=\(loginCookie)"],
            body: ByteBuffer(string: "_csrf=\(token)&email=\(urlEncoded(email))&password=\(urlEncoded(password))&next=%2Fdashboard")
        )
        try #require(response.status == .seeOther, "sign-in failed with \(response.status): \(String(buffer: response.body).prefix(500))")
        let session = try #require(cookie(named: "lr_session", in: response))
        var browser = DashboardBrowser(client: client, sessionCookie: session, csrf: "")
        let overview = try await browser.get("/dashboard")
        try #require(overview.status == .ok)
        browser.csrf = try #require(hiddenValue("_csrf", in: String(buffer: overview.body)))
        return browser
    }

    /// GET with the session cookie.
    func get(_ uri: String) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get, headers: [.cookie: "lr_session=\(sessionCookie)"])
    }

    /// POST of a urlencoded form with the session cookie; the CSRF token is added unless `csrf` is false.
    func post(
        _ uri: String,
        _ fields: [(String, String)],
        csrf includeToken: Bool = true,
        headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var pairs = fields
        if includeToken { pairs.insert(("_csrf", csrf), at: 0) }
        let body = pairs.map { "\(urlEncoded($0.0))=\(urlEncoded($0.1))" }.joined(separator: "&")
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .cookie: "lr_session=\(sessionCookie)"]
        headers.append(contentsOf: extra)
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    /// The value of cookie `name` set by `response`.
    static func cookie(named name: String, in response: TestResponse) -> String? {
        for header in response.headers[values: .setCookie] where header.hasPrefix(name + "=") {
            return String(header.dropFirst(name.count + 1).prefix { $0 != ";" })
        }
        return nil
    }

    /// The `value` of the first hidden input named `name` in `html`.
    static func hiddenValue(_ name: String, in html: String) -> String? {
        guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }
}

/// `text` percent-encoded for a form body.
func urlEncoded(_ text: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
}
