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

@Suite("Dashboard: sign-in, sessions, CSRF, tenant scoping, leads, deliveries, retries")
struct DashboardTests {
    /// Ingests one lead for `tenant` through the API and returns its id.
    private func ingest(_ client: any TestClientProtocol, _ tenant: IngestAPITestHarness.SeededTenant, _ lead: String) async throws -> Int64 {
        let response = try await client.postJSON("/api/leads", key: tenant.apiKey, body: lead)
        try #require(response.status == .accepted, "ingest failed: \(String(buffer: response.body))")
        let results = response.json["results"] as? [[String: Any]]
        return try #require((results?.first?["lead_id"] as? NSNumber)?.int64Value, "no lead id in \(String(buffer: response.body))")
    }

    @Test func pagesNeedASessionAndSignInWorksThroughTheForm() async throws {
        try await DashboardTestHarness.run { client, _, _, users, stores in
            let anonymous = try await client.execute(uri: "/dashboard/deliveries?status=dead", method: .get)
            #expect(anonymous.status == .found)
            #expect(anonymous.headers[.location] == "/login?next=/dashboard/deliveries%3Fstatus%3Ddead")

            let form = try await client.execute(uri: "/login", method: .get)
            #expect(form.status == .ok)
            #expect(form.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
            let browser = try await DashboardBrowser.signIn(client, email: "OPS@example.com")
            #expect(!browser.csrf.isEmpty)
            let stored = try await stores.count("SELECT count(*)::int FROM web_sessions")
            #expect(stored == 1)
            let audit = try await stores.count(
                "SELECT count(*)::int FROM audit_log WHERE action = 'auth.login' AND user_id = \(users.operatorUser.id)"
            )
            #expect(audit == 1)
            let overview = try await browser.get("/dashboard")
            let html = String(buffer: overview.body)
            #expect(html.contains("ops@example.com"))
            #expect(html.contains("Workers alive"))  // operators see the shared queue figures
            #expect(overview.headers[.cacheControl] == "no-store")
        }
    }

    @Test func theSessionCookieIsHttpOnlyLaxAndSecureBehindHTTPS() async throws {
        // The test client connects from 127.0.0.1: here it plays the trusted proxy that terminated TLS.
        try await DashboardTestHarness.run(extra: ["TRUSTED_PROXIES": "127.0.0.1/32"]) { client, _, _, _, _ in
            let form = try await client.execute(uri: "/login", method: .get)
            let loginCookie = try #require(DashboardBrowser.cookie(named: "lr_login", in: form))
            let token = try #require(DashboardBrowser.hiddenValue("_csrf", in: String(buffer: form.body)))
            let response = try await client.execute(
                uri: "/login",
                method: .post,
                headers: [
                    .contentType: "application/x-www-form-urlencoded", .cookie: "lr_login=\(loginCookie)",
                    try #require(HTTPField.Name("X-Forwarded-Proto")): "https",
                ],
                body: ByteBuffer(string: "_csrf=\(token)&email=ops%40example.com&password=\(urlEncoded(DashboardTestHarness.password))")
            )
            #expect(response.status == .seeOther)
            let header = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("lr_session=") })
            #expect(header.contains("HttpOnly"))
            #expect(header.contains("SameSite=Lax"))
            #expect(header.hasSuffix("; Secure"))
        }
    }

    @Test func wrongPasswordsAreRefusedLikeUnknownEmailsAndThrottled() async throws {
        try await DashboardTestHarness.run { client, _, _, _, stores in
            for attempt in 1...10 {
                let form = try await client.execute(uri: "/login", method: .get)
                let cookie = try #require(DashboardBrowser.cookie(named: "lr_login", in: form))
                let token = try #require(DashboardBrowser.hiddenValue("_csrf", in: String(buffer: form.body)))
                let email = attempt == 1 ? "nobody@example.com" : "a@example.com"
                let response = try await client.execute(
                    uri: "/login",
                    method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "lr_login=\(cookie)"],
                    body: ByteBuffer(string: "_csrf=\(token)&email=\(urlEncoded(email))&password=wrong-password-\(attempt)")
                )
                #expect(response.status == .unauthorized)
                #expect(String(buffer: response.body).contains("That email and password do not match an active account."))
                #expect(DashboardBrowser.cookie(named: "lr_session", in: response) == nil)
            }
            // Ten failures for a@example.com (nine) plus one unknown: the next attempt is throttled, even with the right password.
            let form = try await client.execute(uri: "/login", method: .get)
            let cookie = try #require(DashboardBrowser.cookie(named: "lr_login", in: form))
            let token = try #require(DashboardBrowser.hiddenValue("_csrf", in: String(buffer: form.body)))
            for _ in 0..<1 {
                let wrong = try await client.execute(
                    uri: "/login",
                    method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "lr_login=\(cookie)"],
                    body: ByteBuffer(string: "_csrf=\(token)&email=a%40example.com&password=still-wrong")
                )
                #expect(wrong.status == .unauthorized)
            }
            let throttled = try await client.execute(
                uri: "/login",
                method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "lr_login=\(cookie)"],
                body: ByteBuffer(string: "_csrf=\(token)&email=a%40example.com&password=\(urlEncoded(DashboardTestHarness.password))")
            )
            #expect(throttled.status == .tooManyRequests)
            #expect(throttled.headers[.retryAfter] != nil)
            let failures = try await stores.count("SELECT count(*)::int FROM audit_log WHERE action = 'auth.login_failed'")
            #expect(failures == 11)
        }
    }

    @Test func aLoginPostWithoutTheFormTokenIsRefused() async throws {
        try await DashboardTestHarness.run { client, _, _, _, _ in
            let response = try await client.execute(
                uri: "/login",
                method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "email=ops%40example.com&password=\(urlEncoded(DashboardTestHarness.password))")
            )
            #expect(response.status == .forbidden)
            #expect(DashboardBrowser.cookie(named: "lr_session", in: response) == nil)
        }
    }

    @Test(arguments: ["missing", "wrong", "cross-origin"])
    func unsafeRequestsNeedTheSessionsCSRFTokenAndOurOrigin(_ variant: String) async throws {
        try await DashboardTestHarness.run { client, _, _, _, stores in
            let browser = try await DashboardBrowser.signIn(client, email: "ops@example.com")
            let response: TestResponse
            switch variant {
            case "missing": response = try await browser.post("/dashboard/deliveries/retry", [("ids", "1")], csrf: false)
            case "wrong": response = try await browser.post("/dashboard/deliveries/retry", [("_csrf", "not-the-token"), ("ids", "1")], csrf: false)
            default: response = try await browser.post("/dashboard/deliveries/retry", [("ids", "1")], headers: [.origin: "https://evil.example"])
            }
            #expect(response.status == .forbidden)
            let retries = try await stores.count("SELECT count(*)::int FROM audit_log WHERE action = 'deliveries.retry'")
            #expect(retries == 0)
        }
    }

    @Test func membersSeeOnlyTheirTenantsLeadsAndDeliveries() async throws {
        try await DashboardTestHarness.run { client, tenantA, tenantB, _, _ in
            let leadA = try await ingest(client, tenantA, #"{"email": "alice@a.example", "first_name": "Alice"}"#)
            let leadB = try await ingest(client, tenantB, #"{"email": "bob@b.example", "first_name": "Bob"}"#)
            let member = try await DashboardBrowser.signIn(client, email: "a@example.com")
            #expect(try await member.get("/dashboard/leads/\(leadA)").status == .ok)
            let foreign = try await member.get("/dashboard/leads/\(leadB)")
            #expect(foreign.status == .notFound)
            #expect(!String(buffer: foreign.body).contains("bob@b.example"))
            let search = String(buffer: try await member.get("/dashboard/leads?q=bob%40b.example").body)
            #expect(search.contains("0 leads matching"))
            let list = String(buffer: try await member.get("/dashboard/leads").body)
            #expect(list.contains("alice@a.example"))
            #expect(!list.contains("bob@b.example"))
            let deliveries = String(buffer: try await member.get("/dashboard/deliveries").body)
            #expect(deliveries.contains("/dashboard/leads/\(leadA)"))
            #expect(!deliveries.contains("/dashboard/leads/\(leadB)"))
            let overview = String(buffer: try await member.get("/dashboard").body)
            #expect(!overview.contains("Workers alive"))  // shared system figures are for operators
            let operatorView = try await DashboardBrowser.signIn(client, email: "ops@example.com")
            #expect(try await operatorView.get("/dashboard/leads/\(leadB)").status == .ok)
        }
    }

    @Test func leadSearchFindsByEmailPhoneNameAndShowsTheTimeline() async throws {
        try await DashboardTestHarness.run { client, tenantA, _, _, stores in
            let id = try await ingest(
                client,
                tenantA,
                #"{"email": "Carol@Example.com", "phone": "(201) 555-0123", "first_name": "Carol", "last_name": "Danvers"}"#
            )
            let browser = try await DashboardBrowser.signIn(client, email: "a@example.com")
            for query in ["carol%40example.com", "%2B12015550123", "Danvers", "\(id)"] {
                let page = String(buffer: try await browser.get("/dashboard/leads?q=\(query)").body)
                #expect(page.contains("/dashboard/leads/\(id)\""), "search \(query)")
            }
            try await stores.postgres.query(
                """
                INSERT INTO delivery_attempts (delivery_id, attempt, worker_id, started_at, duration_ms, outcome, http_status, error_class, error_message, response_excerpt)
                SELECT id, 1, 'w1', now(), 812, 'retryable', 503, 'server', 'HTTP 503 from the CRM', '{"message":"maintenance"}'
                FROM deliveries WHERE lead_id = \(id) LIMIT 1
                """,
                logger: TestEnvironment.logger
            )
            let lead = String(buffer: try await browser.get("/dashboard/leads/\(id)").body)
            #expect(lead.contains("+12015550123"))
            #expect(lead.contains("HTTP 503 from the CRM"))
            #expect(lead.contains("{&quot;message&quot;:&quot;maintenance&quot;}"))
            #expect(lead.contains("Payload as received"))
        }
    }

    @Test func scriptInLeadFieldsIsEscapedEverywhere() async throws {
        try await DashboardTestHarness.run { client, tenantA, _, _, _ in
            let id = try await ingest(
                client,
                tenantA,
                #"{"email": "x@example.com", "first_name": "<script>alert(1)</script>", "notes": "\"><img src=x onerror=alert(2)>"}"#
            )
            let browser = try await DashboardBrowser.signIn(client, email: "ops@example.com")
            for path in ["/dashboard/leads", "/dashboard/leads/\(id)", "/dashboard/leads?q=x%40example.com"] {
                let html = String(buffer: try await browser.get(path).body)
                #expect(!html.contains("<script>alert(1)"), "\(path)")
                #expect(!html.contains("<img src=x"), "\(path)")
                #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "\(path)")
            }
        }
    }

    @Test func retryingADeadDeliveryQueuesItAgainAndIsAudited() async throws {
        try await DashboardTestHarness.run { client, tenantA, tenantB, users, stores in
            let lead = try await ingest(client, tenantA, #"{"email": "dead@example.com"}"#)
            let foreignLead = try await ingest(client, tenantB, #"{"email": "dead@b.example"}"#)
            try await stores.postgres.query(
                """
                UPDATE deliveries SET status = 'dead', attempts = 5, last_error = 'HTTP 400: invalid phone', finished_at = now()
                WHERE lead_id IN (\(lead), \(foreignLead))
                """,
                logger: TestEnvironment.logger
            )
            let member = try await DashboardBrowser.signIn(client, email: "a@example.com")
            let dead = String(buffer: try await member.get("/dashboard/deliveries?status=dead").body)
            #expect(dead.contains("HTTP 400: invalid phone"))
            #expect(dead.contains("Retry selected"))
            var ids: [Int64] = []
            for try await id in try await stores.postgres.query(
                "SELECT id FROM deliveries WHERE lead_id = \(lead) ORDER BY id",
                logger: TestEnvironment.logger
            ).decode(Int64.self) { ids.append(id) }
            var foreign: [Int64] = []
            for try await id in try await stores.postgres.query(
                "SELECT id FROM deliveries WHERE lead_id = \(foreignLead)",
                logger: TestEnvironment.logger
            ).decode(Int64.self) { foreign.append(id) }
            // A member's retry of another tenant's delivery does nothing.
            let response = try await member.post(
                "/dashboard/deliveries/retry",
                [("ids", String(ids[0])), ("ids", String(foreign[0])), ("back", "/dashboard/deliveries?status=dead")]
            )
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/dashboard/deliveries?status=dead")
            #expect(String(buffer: try await member.get("/dashboard/deliveries?status=dead").body).contains("1 delivery is queued again"))
            #expect(try await stores.count("SELECT count(*)::int FROM deliveries WHERE id = \(ids[0]) AND status = 'queued' AND attempts = 0") == 1)
            #expect(
                try await stores.count("SELECT count(*)::int FROM deliveries WHERE lead_id = \(foreignLead) AND status = 'dead'") == foreign.count
            )
            #expect(
                try await stores.count(
                    """
                    SELECT count(*)::int FROM audit_log WHERE action = 'deliveries.retry' AND user_id = \(users.memberA.id) AND actor = 'a@example.com'
                    """
                ) == 1
            )

            // "Retry all matching" shows a count, then retries exactly those.
            let confirm = String(buffer: try await member.get("/dashboard/deliveries/retry?status=dead").body)
            #expect(confirm.contains("Retry \(ids.count - 1) deliveries?"))
            let all = try await member.post("/dashboard/deliveries/retry", [("mode", "all"), ("status", "dead"), ("expected", "\(ids.count - 1)")])
            #expect(all.status == .seeOther)
            #expect(try await stores.count("SELECT count(*)::int FROM deliveries WHERE lead_id = \(lead) AND status = 'queued'") == ids.count)
            #expect(
                try await stores.count("SELECT count(*)::int FROM deliveries WHERE lead_id = \(foreignLead) AND status = 'dead'") == foreign.count
            )
        }
    }

    @Test func uploadingACSVFromTheDashboardUsesTheHeaderToken() async throws {
        try await DashboardTestHarness.run { client, tenantA, _, _, stores in
            let source = try await stores.makeSource(tenantA, name: "Old customers", kind: .csv)
            let browser = try await DashboardBrowser.signIn(client, email: "a@example.com")
            let csv = "email,first_name\nann@example.com,Ann\nnot-an-email,Bob\n"
            let refused = try await client.execute(
                uri: "/dashboard/imports?source=\(source.id)&filename=old.csv",
                method: .post,
                headers: [.contentType: "text/csv", .cookie: "lr_session=\(browser.sessionCookie)"],
                body: ByteBuffer(string: csv)
            )
            #expect(refused.status == .forbidden)
            let response = try await client.execute(
                uri: "/dashboard/imports?source=\(source.id)&filename=old.csv",
                method: .post,
                headers: [
                    .contentType: "text/csv", .cookie: "lr_session=\(browser.sessionCookie)",
                    try #require(HTTPField.Name("X-CSRF-Token")): browser.csrf,
                ],
                body: ByteBuffer(string: csv)
            )
            #expect(response.status == .created)
            let location = try #require(response.headers[.location])
            #expect(location.hasPrefix("/dashboard/imports/"))
            let page = String(buffer: try await browser.get(location).body)
            #expect(page.contains("Import of old.csv"))
            #expect(page.contains("Download rejected rows"))
            let report = try await browser.get(location + "/errors.csv")
            #expect(String(buffer: report.body).contains("not-an-email"))
            #expect(try await stores.count("SELECT count(*)::int FROM audit_log WHERE action = 'import.create'") == 1)
        }
    }

    @Test func signingOutEndsTheSession() async throws {
        try await DashboardTestHarness.run { client, _, _, _, stores in
            let browser = try await DashboardBrowser.signIn(client, email: "ops@example.com")
            let out = try await browser.post("/dashboard/logout", [])
            #expect(out.status == .seeOther)
            #expect(out.headers[.location] == "/login")
            #expect(try await stores.count("SELECT count(*)::int FROM web_sessions") == 0)
            #expect(try await browser.get("/dashboard").status == .found)
        }
    }

    @Test func aDisabledUsersSessionStopsWorking() async throws {
        try await DashboardTestHarness.run { client, _, _, users, stores in
            let browser = try await DashboardBrowser.signIn(client, email: "a@example.com")
            try await UserStore(client: stores.postgres, logger: TestEnvironment.logger).setEnabled(false, id: users.memberA.id)
            let response = try await browser.get("/dashboard")
            #expect(response.status == .found)
            #expect(response.headers[.location]?.hasPrefix("/login") == true)
        }
    }

    @Test func theFirstOperatorComesFromTheEnvironment() async throws {
        try await TestDatabase.withDatabase { database in
            let configuration = try TestEnvironment.configuration(
                database: database.configuration,
                redisKeyPrefix: TestEnvironment.uniqueName("lr"),
                extra: ["ADMIN_EMAIL": "owner@example.com", "ADMIN_PASSWORD": "a long enough secret", "PASSWORD_HASH_COST": "4"]
            )
            let app = buildApplication(configuration: configuration, logger: TestEnvironment.logger)
            try await app.test(.live) { client in
                let browser = try await DashboardBrowser.signIn(client, email: "owner@example.com", password: "a long enough secret")
                #expect(String(buffer: try await browser.get("/dashboard").body).contains("Operator (all tenants)"))
            }
        }
        #expect(throws: ConfigurationError.self) {
            try AppConfiguration(
                environment: EnvironmentValues([
                    "DATABASE_URL": "postgres://u@h/d", "REDIS_URL": "redis://h", "LEADRELAY_SECRET_KEY": TestEnvironment.secretKey,
                    "ADMIN_EMAIL": "owner@example.com", "ADMIN_PASSWORD": "short",
                ])
            )
        }
    }

    @Test func theOverviewChartEscapesSourceNamesAndCountsLeads() async throws {
        try await DashboardTestHarness.run { client, tenantA, _, _, stores in
            let source = try await stores.makeSource(tenantA, name: "<b>Meta</b> ads", kind: .api)
            for index in 0..<3 {
                _ = try await client.postJSON("/api/leads?source=\(source.id)", key: tenantA.apiKey, body: #"{"email": "c\#(index)@example.com"}"#)
            }
            let browser = try await DashboardBrowser.signIn(client, email: "a@example.com")
            let html = String(buffer: try await browser.get("/dashboard?days=14").body)
            #expect(html.contains("<svg class=\"chart\""))
            #expect(html.contains("&lt;b&gt;Meta&lt;/b&gt; ads: 3"))
            #expect(!html.contains("<b>Meta</b>"))
            #expect(html.contains("&lt;b&gt;Meta&lt;/b&gt; ads (3)"))
        }
    }
}
