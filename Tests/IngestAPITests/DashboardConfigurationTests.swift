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

@Suite("Dashboard configuration: sources, destinations, API keys, tenants, users")
struct DashboardConfigurationTests {
    static let hostile = "<script>alert(1)</script>"

    /// The id in a `303` to `/dashboard/<area>/<id>`.
    private func createdId(_ response: TestResponse, area: String) throws -> String {
        try #require(response.status == .seeOther, "expected 303, got \(response.status): \(String(buffer: response.body).prefix(800))")
        let location = try #require(response.headers[.location])
        let path = location.split(separator: "?").first.map(String.init) ?? location
        try #require(path.hasPrefix("/dashboard/\(area)/"), "unexpected location \(location)")
        return String(path.dropFirst("/dashboard/\(area)/".count))
    }

    private func actions(_ stores: DataStores, tenantId: UUID?, prefix: String) async throws -> [String] {
        try await AuditLog(client: stores.postgres, logger: TestEnvironment.logger).list(tenantId: tenantId, action: prefix).map(\.action)
    }

    @Test func aMemberCreatesEditsDisablesAndDeletesASourceWithWriteOnlySecrets() async throws {
        try await DashboardTestHarness.run { client, first, _, _, stores in
            let browser = try await DashboardBrowser.signIn(client, email: "a@example.com")
            let form = try await browser.get("/dashboard/sources/new")
            #expect(form.status == .ok)
            #expect(String(buffer: form.body).contains("name=\"_csrf\""))

            let invalid = try await browser.post("/dashboard/sources", [("name", " "), ("kind", "webhook"), ("preset", ""), ("config", "{bad json")])
            #expect(invalid.status == .unprocessableContent)
            let invalidHTML = String(buffer: invalid.body)
            #expect(invalidHTML.contains("is required"))
            #expect(invalidHTML.contains("must be generic, zapier, facebook, monday or shopmonkey"))
            #expect(invalidHTML.contains("is not valid JSON"))
            #expect(invalidHTML.contains("{bad json"))  // what was typed is kept

            let secret = "whsec-never-shown-0123456789"
            let created = try await browser.post(
                "/dashboard/sources",
                [
                    ("name", Self.hostile), ("kind", "webhook"), ("preset", "generic"), ("destinations", first.destinations[0].id.uuidString),
                    ("config", #"{"note": "hello"}"#), ("secret_signing_secret", secret), ("enabled", "on"),
                ]
            )
            let id = try createdId(created, area: "sources")
            let page = try await browser.get("/dashboard/sources/\(id)")
            let html = String(buffer: page.body)
            #expect(page.status == .ok)
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!html.contains(Self.hostile))
            #expect(!html.contains(secret))
            #expect(html.contains("/hooks/"))
            #expect(html.contains("Signing secret <span class=\"badge succeeded\">set</span>"))
            let list = String(buffer: try await browser.get("/dashboard/sources").body)
            #expect(list.contains("&lt;script&gt;"))
            #expect(!list.contains(Self.hostile))

            let sources = SourceStore(client: stores.postgres, logger: TestEnvironment.logger)
            let stored = try await sources.find(id, tenantId: first.tenant.id)
            #expect(stored.hasSecrets && stored.preset == .generic && stored.destinationIds == [first.destinations[0].id])

            let edited = try await browser.post(
                "/dashboard/sources/\(id)",
                [
                    ("name", "Website hook"), ("destinations", first.destinations[1].id.uuidString), ("config", ""), ("enabled", "on"),
                ]
            )
            #expect(try createdId(edited, area: "sources") == id)
            let afterEdit = try await sources.find(id, tenantId: first.tenant.id)
            #expect(afterEdit.name == "Website hook" && afterEdit.destinationIds == [first.destinations[1].id] && afterEdit.hasSecrets)

            #expect(try await browser.post("/dashboard/sources/\(id)/disable", []).status == .seeOther)
            #expect(try await sources.find(id, tenantId: first.tenant.id).enabled == false)
            #expect(try await browser.post("/dashboard/sources/\(id)/enable", []).status == .seeOther)
            #expect(try await sources.find(id, tenantId: first.tenant.id).enabled == true)
            #expect(try await browser.post("/dashboard/sources/\(id)/delete", []).status == .seeOther)
            await #expect(throws: StoreError.self) { try await sources.find(id, tenantId: first.tenant.id) }

            // A source with leads is never deleted (that would erase them).
            let lead = try await client.postJSON("/api/leads", key: first.apiKey, body: #"{"email": "kept@example.com"}"#)
            #expect(lead.status == .accepted)
            let refused = try await browser.post("/dashboard/sources/\(first.source.id.uuidString.lowercased())/delete", [])
            #expect(refused.status == .conflict)
            #expect(try await sources.find(first.source.id.uuidString, tenantId: first.tenant.id).enabled)

            let audit = try await actions(stores, tenantId: first.tenant.id, prefix: "source.")
            #expect(Set(audit) == ["source.create", "source.update", "source.disable", "source.enable", "source.delete"])
            let details = try await stores.count("SELECT count(*)::int FROM audit_log WHERE details::text LIKE \("%" + secret + "%")")
            #expect(details == 0)
        }
    }

    @Test func destinationsAreValidatedSealedAndTestedThroughTheNormalWritePath() async throws {
        try await DashboardTestHarness.run { client, first, _, _, stores in
            let browser = try await DashboardBrowser.signIn(client, email: "a@example.com")
            let invalid = try await browser.post(
                "/dashboard/destinations",
                [
                    ("name", Self.hostile), ("kind", "http"), ("base_url", "ftp://example.com"), ("max_attempts", "0"),
                    ("rate_limit_requests", "5"), ("rate_limit_interval_ms", ""),
                ]
            )
            #expect(invalid.status == .unprocessableContent)
            let invalidHTML = String(buffer: invalid.body)
            #expect(invalidHTML.contains("must be an http:// or https:// URL"))
            #expect(invalidHTML.contains("must be a whole number from 1 to 100"))
            #expect(invalidHTML.contains("needs both a number of requests and an interval"))
            #expect(invalidHTML.contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt;\""))

            let secret = "dest-token-never-shown-42"
            let created = try await browser.post(
                "/dashboard/destinations",
                [
                    ("name", Self.hostile), ("kind", "http"), ("config", #"{"url": "https://crm.example.com/leads"}"#), ("secret", secret),
                    ("dry_run", "on"), ("max_attempts", "1"), ("enabled", "on"),
                ]
            )
            let id = try createdId(created, area: "destinations")
            let html = String(buffer: try await browser.get("/dashboard/destinations/\(id)").body)
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !html.contains(Self.hostile))
            #expect(!html.contains(secret))
            #expect(html.contains("API token / key <span class=\"badge succeeded\">set</span>"))
            let destinations = DestinationStore(client: stores.postgres, logger: TestEnvironment.logger)
            var stored = try await destinations.find(id, tenantId: first.tenant.id)
            #expect(stored.hasSecret && stored.dryRun && stored.maxAttempts == 1 && stored.accountKey == "http:crm.example.com")
            let sealed = try #require(try await destinations.sealedSecret(destinationId: stored.id))
            #expect(try SecretBox(currentKey: TestEnvironment.secretKey).open(sealed) == secret)

            let edited = try await browser.post(
                "/dashboard/destinations/\(id)",
                [
                    ("name", "CRM"), ("config", #"{"url": "https://crm.example.com/leads"}"#), ("rate_limit_requests", "10"),
                    ("rate_limit_interval_ms", "1000"), ("max_attempts", "3"), ("timeout_ms", "5000"), ("dry_run", "on"), ("enabled", "on"),
                ]
            )
            #expect(try createdId(edited, area: "destinations") == id)
            stored = try await destinations.find(id, tenantId: first.tenant.id)
            #expect(stored.name == "CRM" && stored.rateLimitRequests == 10 && stored.maxAttempts == 3 && stored.hasSecret)

            // Send test lead: a lead in the "Dashboard test leads" source, delivered to this destination only.
            let sent = try await browser.post("/dashboard/destinations/\(id)/test", [])
            #expect(sent.status == .ok)
            let sentHTML = String(buffer: sent.body)
            let leadText = try #require(sentHTML.range(of: "/dashboard/leads/").map { sentHTML[$0.upperBound...].prefix { $0.isNumber } })
            let leadId = try #require(Int64(leadText))
            let testSource = try await SourceStore(client: stores.postgres, logger: TestEnvironment.logger)
                .find(DestinationTestLead.sourceName, tenantId: first.tenant.id)
            #expect(testSource.kind == .api && testSource.destinationIds == [stored.id])
            let deliveries = try await stores.count(
                "SELECT count(*)::int FROM deliveries WHERE lead_id = \(leadId) AND destination_id = \(stored.id)"
            )
            let others = try await stores.count("SELECT count(*)::int FROM deliveries WHERE lead_id = \(leadId) AND destination_id <> \(stored.id)")
            #expect(deliveries == 1 && others == 0)
            // The tenant's default API source stays the seeded one.
            let defaultSource = try await SourceStore(client: stores.postgres, logger: TestEnvironment.logger).defaultAPISource(
                tenantId: first.tenant.id
            )
            #expect(defaultSource.id == first.source.id)
            // A second test to another destination re-links the test source.
            #expect(try await browser.post("/dashboard/destinations/\(first.destinations[1].id.uuidString)/test", []).status == .ok)
            let relinked = try await SourceStore(client: stores.postgres, logger: TestEnvironment.logger).find(
                testSource.id.uuidString,
                tenantId: nil
            )
            #expect(relinked.destinationIds == [first.destinations[1].id])

            // With a delivery it can only be disabled; a fresh one can be deleted.
            #expect(try await browser.post("/dashboard/destinations/\(id)/delete", []).status == .conflict)
            #expect(try await browser.post("/dashboard/destinations/\(id)/disable", []).status == .seeOther)
            #expect(try await destinations.find(id, tenantId: first.tenant.id).enabled == false)
            #expect(try await browser.post("/dashboard/destinations/\(id)/test", []).status == .conflict)
            let spare = try createdId(
                try await browser.post("/dashboard/destinations", [("name", "Spare"), ("kind", "npa"), ("enabled", "on")]),
                area: "destinations"
            )
            #expect(try await browser.post("/dashboard/destinations/\(spare)/delete", []).status == .seeOther)

            let audit = try await actions(stores, tenantId: first.tenant.id, prefix: "destination.")
            #expect(Set(audit) == ["destination.create", "destination.update", "destination.test", "destination.disable", "destination.delete"])
            let leaked = try await stores.count("SELECT count(*)::int FROM audit_log WHERE details::text LIKE \("%" + secret + "%")")
            #expect(leaked == 0)
        }
    }

    @Test func anAPIKeyIsShownOnceThenOnlyItsPrefix() async throws {
        try await DashboardTestHarness.run { client, first, _, _, stores in
            let browser = try await DashboardBrowser.signIn(client, email: "a@example.com")
            let invalid = try await browser.post("/dashboard/api-keys", [("name", ""), ("requests_per_minute", "0")])
            #expect(invalid.status == .unprocessableContent)
            #expect(String(buffer: invalid.body).contains("must be a whole number from 1 to 1000000"))

            let created = try await browser.post("/dashboard/api-keys", [("name", "Website"), ("requests_per_minute", "60")])
            #expect(created.status == .created)
            let html = String(buffer: created.body)
            #expect(html.contains("shown only once"))
            let start = try #require(html.range(of: "id=\"new-api-key\">"))
            let key = String(html[start.upperBound...].prefix { $0 != "<" })
            let prefix = try #require(APIKey.prefix(of: key))
            let keys = APIKeyStore(client: stores.postgres, logger: TestEnvironment.logger)
            let record = try #require(try await keys.authenticate(key))
            #expect(record.tenantId == first.tenant.id && record.requestsPerMinute == 60)

            let list = String(buffer: try await browser.get("/dashboard/api-keys").body)
            #expect(list.contains(prefix + "…"))
            #expect(!list.contains(key))

            let revoked = try await browser.post("/dashboard/api-keys/\(record.id.uuidString.lowercased())/revoke", [])
            #expect(revoked.status == .seeOther)
            #expect(try await keys.authenticate(key) == nil)
            #expect(Set(try await actions(stores, tenantId: first.tenant.id, prefix: "api_key.")) == ["api_key.create", "api_key.revoke"])
        }
    }

    @Test func aMemberNeverSeesOrChangesAnotherTenantsConfiguration() async throws {
        try await DashboardTestHarness.run { client, first, second, users, stores in
            let browser = try await DashboardBrowser.signIn(client, email: "a@example.com")
            let sourceB = second.source.id.uuidString.lowercased()
            let destinationB = second.destinations[0].id.uuidString.lowercased()
            let keyB = try #require(
                try await APIKeyStore(client: stores.postgres, logger: TestEnvironment.logger).list(tenantId: second.tenant.id).first
            )
            let userB = users.memberB.id.uuidString.lowercased()
            for path in [
                "/dashboard/sources/\(sourceB)", "/dashboard/destinations/\(destinationB)", "/dashboard/users/\(userB)",
                "/dashboard/users/\(users.operatorUser.id.uuidString)", "/dashboard/tenants", "/dashboard/tenants/new",
                "/dashboard/tenants/\(second.tenant.id.uuidString)",
            ] {
                #expect(try await browser.get(path).status == .notFound, "GET \(path)")
            }
            let posts: [(String, [(String, String)])] = [
                ("/dashboard/sources/\(sourceB)", [("name", "Taken over")]), ("/dashboard/sources/\(sourceB)/disable", []),
                ("/dashboard/sources/\(sourceB)/delete", []), ("/dashboard/destinations/\(destinationB)", [("name", "Taken over")]),
                ("/dashboard/destinations/\(destinationB)/disable", []), ("/dashboard/destinations/\(destinationB)/test", []),
                ("/dashboard/api-keys/\(keyB.id.uuidString.lowercased())/revoke", []), ("/dashboard/users/\(userB)/disable", []),
                ("/dashboard/users/\(userB)/password", [("password", "a brand new password")]), ("/dashboard/users/\(userB)/delete", []),
                ("/dashboard/tenants", [("name", "Mine now"), ("region", "US"), ("timezone", "UTC")]),
                ("/dashboard/tenants/\(second.tenant.id.uuidString)/disable", []),
            ]
            for (path, fields) in posts {
                #expect(try await browser.post(path, fields).status == .notFound, "POST \(path)")
            }
            let untouched = try await SourceStore(client: stores.postgres, logger: TestEnvironment.logger).find(sourceB, tenantId: second.tenant.id)
            #expect(untouched.enabled && untouched.name == second.source.name)
            #expect(try await DestinationStore(client: stores.postgres, logger: TestEnvironment.logger).find(destinationB, tenantId: nil).enabled)
            #expect(try await APIKeyStore(client: stores.postgres, logger: TestEnvironment.logger).authenticate(second.apiKey) != nil)
            #expect(try await UserStore(client: stores.postgres, logger: TestEnvironment.logger).find(id: users.memberB.id)?.enabled == true)
            #expect(try await TenantStore(client: stores.postgres, logger: TestEnvironment.logger).find(second.tenant.id.uuidString).enabled)

            // Lists show only tenant A; another tenant's destination cannot be linked, and the tenant field is ignored.
            for path in ["/dashboard/sources", "/dashboard/destinations", "/dashboard/api-keys", "/dashboard/users"] {
                let html = String(buffer: try await browser.get(path).body)
                #expect(
                    !html.contains(sourceB) && !html.contains(destinationB) && !html.contains(keyB.prefix) && !html.contains("b@example.com"),
                    "\(path)"
                )
                #expect(!html.contains("ops@example.com\">") && !html.contains(">ops@example.com</a>"), "\(path)")
            }
            let linked = try await browser.post(
                "/dashboard/sources",
                [
                    ("tenant", second.tenant.id.uuidString), ("name", "Sneaky"), ("kind", "api"), ("destinations", destinationB),
                ]
            )
            #expect(linked.status == .unprocessableContent)
            #expect(
                String(buffer: linked.body).contains("pick destinations of the source&#39;s own tenant")
                    || String(buffer: linked.body).contains("pick destinations of the source&#x27;s own tenant")
                    || String(buffer: linked.body).contains("pick destinations of the source")
            )
            let mine = try createdId(
                try await browser.post("/dashboard/sources", [("tenant", second.tenant.id.uuidString), ("name", "Mine"), ("kind", "api")]),
                area: "sources"
            )
            #expect(
                try await SourceStore(client: stores.postgres, logger: TestEnvironment.logger).find(mine, tenantId: nil).tenantId == first.tenant.id
            )
        }
    }

    @Test func formsWithoutTheCSRFTokenAreRefused() async throws {
        try await DashboardTestHarness.run { client, first, _, _, stores in
            let browser = try await DashboardBrowser.signIn(client, email: "a@example.com")
            let refused = try await browser.post("/dashboard/sources", [("name", "No token"), ("kind", "api")], csrf: false)
            #expect(refused.status == .forbidden)
            let wrong = try await browser.post(
                "/dashboard/destinations/\(first.destinations[0].id.uuidString)/disable",
                [("_csrf", "forged")],
                csrf: false
            )
            #expect(wrong.status == .forbidden)
            #expect(try await stores.count("SELECT count(*)::int FROM sources WHERE name = 'No token'") == 0)
            #expect(
                try await DestinationStore(client: stores.postgres, logger: TestEnvironment.logger).find(
                    first.destinations[0].id.uuidString,
                    tenantId: nil
                ).enabled
            )
        }
    }

    @Test func operatorsManageTenants() async throws {
        try await DashboardTestHarness.run { client, _, _, _, stores in
            let browser = try await DashboardBrowser.signIn(client, email: "ops@example.com")
            #expect(try await browser.get("/dashboard/tenants").status == .ok)
            let invalid = try await browser.post(
                "/dashboard/tenants",
                [
                    ("name", "Acme"), ("region", "XX"), ("timezone", "Mars/Base"),
                    ("notification_email", "not-an-email"),
                ]
            )
            #expect(invalid.status == .unprocessableContent)
            let html = String(buffer: invalid.body)
            #expect(
                html.contains("is not a known ISO 3166 region code") && html.contains("is not a known time zone")
                    && html.contains("is not an email address")
            )
            #expect(html.contains("value=\"Mars/Base\""))
            let id = try createdId(
                try await browser.post("/dashboard/tenants", [("name", "Acme Roofing"), ("region", "gb"), ("timezone", "Europe/London")]),
                area: "tenants"
            )
            let tenants = TenantStore(client: stores.postgres, logger: TestEnvironment.logger)
            #expect(try await tenants.find(id).slug == "acme-roofing")
            #expect(try await tenants.find(id).defaultRegion == "GB")
            let badEdit = try await browser.post(
                "/dashboard/tenants/\(id)",
                [("name", "Acme"), ("region", "GB"), ("timezone", "Nowhere"), ("enabled", "on")]
            )
            #expect(badEdit.status == .unprocessableContent)
            #expect(
                try await browser.post("/dashboard/tenants/\(id)", [("name", "Acme Ltd"), ("region", "GB"), ("timezone", "UTC"), ("enabled", "on")])
                    .status == .seeOther
            )
            #expect(try await tenants.find(id).name == "Acme Ltd")
            #expect(try await browser.post("/dashboard/tenants/\(id)/disable", []).status == .seeOther)
            #expect(try await tenants.find(id).enabled == false)
            let duplicate = try await browser.post(
                "/dashboard/tenants",
                [("name", "Acme again"), ("slug", "acme-roofing"), ("region", "US"), ("timezone", "UTC")]
            )
            #expect(duplicate.status == .unprocessableContent)
            #expect(Set(try await actions(stores, tenantId: nil, prefix: "tenant.")) == ["tenant.create", "tenant.update", "tenant.disable"])

            // Operators pick the tenant of a new source.
            let source = try createdId(
                try await browser.post("/dashboard/sources", [("tenant", id), ("name", "Form"), ("kind", "form")]),
                area: "sources"
            )
            #expect(
                try await SourceStore(client: stores.postgres, logger: TestEnvironment.logger).find(source, tenantId: nil).tenantId.uuidString
                    .lowercased() == id
            )
            let noTenant = try await browser.post("/dashboard/sources", [("name", "Orphan"), ("kind", "api")])
            #expect(noTenant.status == .unprocessableContent && String(buffer: noTenant.body).contains("choose a tenant"))
        }
    }

    @Test func usersAreCreatedResetDisabledAndDeletedAndTheirSessionsEnd() async throws {
        try await DashboardTestHarness.run { client, first, _, users, stores in
            let operatorBrowser = try await DashboardBrowser.signIn(client, email: "ops@example.com")
            let short = try await operatorBrowser.post(
                "/dashboard/users",
                [
                    ("email", "new@example.com"), ("role", "member"),
                    ("tenant", first.tenant.id.uuidString), ("password", "short"),
                ]
            )
            #expect(short.status == .unprocessableContent)
            #expect(String(buffer: short.body).contains("must be at least 10 characters"))
            #expect(String(buffer: short.body).contains("value=\"new@example.com\""))
            let id = try createdId(
                try await operatorBrowser.post(
                    "/dashboard/users",
                    [
                        ("email", "new@example.com"), ("role", "member"), ("tenant", first.tenant.id.uuidString), ("password", "first password 1"),
                    ]
                ),
                area: "users"
            )
            let duplicate = try await operatorBrowser.post(
                "/dashboard/users",
                [("email", "NEW@example.com"), ("role", "operator"), ("password", "first password 1")]
            )
            #expect(duplicate.status == .unprocessableContent && String(buffer: duplicate.body).contains("already has an account"))

            let newcomer = try await DashboardBrowser.signIn(client, email: "new@example.com", password: "first password 1")
            let reset = try await operatorBrowser.post("/dashboard/users/\(id)/password", [("password", "second password 2")])
            #expect(reset.status == .seeOther)
            #expect(try await newcomer.get("/dashboard").status == .found)  // signed out
            let again = try await DashboardBrowser.signIn(client, email: "new@example.com", password: "second password 2")
            #expect(try await operatorBrowser.post("/dashboard/users/\(id)/disable", []).status == .seeOther)
            #expect(try await again.get("/dashboard").status == .found)
            #expect(try await stores.count("SELECT count(*)::int FROM web_sessions WHERE value->>'user_id' = \(id.uppercased())") == 0)

            let selfDisable = try await operatorBrowser.post("/dashboard/users/\(users.operatorUser.id.uuidString)/disable", [])
            #expect(selfDisable.status == .conflict)
            #expect(try await operatorBrowser.post("/dashboard/users/\(users.operatorUser.id.uuidString)/delete", []).status == .conflict)
            #expect(try await operatorBrowser.post("/dashboard/users/\(id)/delete", []).status == .seeOther)
            #expect(try await UserStore(client: stores.postgres, logger: TestEnvironment.logger).find(reference: "new@example.com") == nil)

            // A member sees their tenant's members only and creates members of their own tenant, whatever the form says.
            let member = try await DashboardBrowser.signIn(client, email: "a@example.com")
            let list = String(buffer: try await member.get("/dashboard/users").body)
            #expect(list.contains("a@example.com") && !list.contains("b@example.com") && !list.contains("ops@example.com"))
            let colleague = try createdId(
                try await member.post(
                    "/dashboard/users",
                    [
                        ("email", "colleague@example.com"), ("role", "operator"), ("password", "colleague password"),
                    ]
                ),
                area: "users"
            )
            let stored = try #require(try await UserStore(client: stores.postgres, logger: TestEnvironment.logger).find(reference: colleague))
            #expect(stored.role == .member && stored.tenantId == first.tenant.id)
            #expect(try await member.post("/dashboard/users/\(users.memberA.id.uuidString)/disable", []).status == .conflict)
            #expect(
                Set(try await actions(stores, tenantId: nil, prefix: "user.")).isSuperset(of: [
                    "user.create", "user.password_reset", "user.disable", "user.delete",
                ])
            )
        }
    }
}
