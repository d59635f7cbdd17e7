import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import Shared
import TestSupport
import Testing

/// A polled source's page shows how polling goes and polls it on request; a lead's page shows
/// the edits of its sheet row. Poll state and runs are inserted the way the workers write them.
@Suite("Dashboard: polled sources")
struct DashboardSourcePollTests {
    static let sheetConfig: [String: JSONValue] = ["spreadsheet_id": "sheet-1", "ranges": [.string("Leads!A:Z")]]

    @Test func aSheetSourcesPageShowsItsErrorItsRunsAndPollsNowWithCSRF() async throws {
        try await DashboardTestHarness.run { client, tenantA, _, _, stores in
            let sheet = try await stores.makeSource(tenantA, name: "Leads sheet", kind: .sheet, config: Self.sheetConfig)
            try await stores.postgres.query(
                """
                INSERT INTO poll_runs (source_id, tenant_id, worker_id, started_at, duration_ms, rows_read, new_rows, accepted,
                    duplicates, rejected, outcome, error, rejections)
                VALUES (\(sheet.id), \(sheet.tenantId), 'worker-1', now() - interval '2 minutes', 840, 52, 4, 3, 0, 1, 'ok', NULL,
                    '[{"row": 14, "reason": "phone: not a phone number", "fields": {"Phone": "abc"}}]'),
                    (\(sheet.id), \(sheet.tenantId), 'worker-1', now() - interval '1 minute', 120, 0, 0, 0, 0, 0, 'error',
                    'header changed: column C is now Mobile (was Phone)', '[]')
                """,
                logger: TestEnvironment.logger
            )
            try await stores.postgres.query(
                """
                UPDATE source_polls SET state = 'error', error_reason = 'header changed: column C is now Mobile (was Phone)',
                    error_since = now() - interval '1 minute', last_polled_at = now() - interval '1 minute',
                    next_poll_at = now() + interval '1 hour'
                WHERE source_id = \(sheet.id)
                """,
                logger: TestEnvironment.logger
            )
            let browser = try await DashboardBrowser.signIn(client, email: "a@example.com")
            let path = "/dashboard/sources/\(sheet.id.uuidString.lowercased())"
            let html = String(buffer: try await browser.get(path).body)
            #expect(html.contains("<p class=\"alert\"><strong>Error since "))
            #expect(html.contains("header changed: column C is now Mobile (was Phone)"))
            #expect(html.contains(">Poll now</button>") && html.contains(">Accept the new header</button>"))
            #expect(html.contains("<span class=\"badge dead\">error</span>") && html.contains("<span class=\"badge succeeded\">ok</span>"))
            #expect(html.contains("<td class=\"num\">52</td>") && html.contains("840 ms"))
            #expect(html.contains("<li>row 14: phone: not a phone number</li>") == false, "only the newest poll's rejected rows are listed")
            #expect(html.contains("Service-account JSON key (Google Sheets)"), "a sheet source takes its key on its page")

            let forged = try await browser.post("\(path)/poll", [], csrf: false)
            #expect(forged.status == .forbidden)
            #expect(try await stores.count("SELECT count(*)::int FROM source_polls WHERE next_poll_at <= now()") == 0)

            let polled = try await browser.post("\(path)/poll", [("accept_header", "on")])
            #expect(polled.status == .seeOther && polled.headers[.location] == path)
            #expect(
                try await stores.count(
                    "SELECT count(*)::int FROM source_polls WHERE source_id = \(sheet.id) AND next_poll_at <= now() AND accept_header"
                ) == 1
            )
            let slug = sheet.id.uuidString.lowercased()
            #expect(try await stores.count("SELECT count(*)::int FROM audit_log WHERE action = 'source.poll' AND target_id = \(slug)") == 1)
            let after = String(buffer: try await browser.get(path).body)
            #expect(after.contains("“Leads sheet” is polled within moments, taking the sheet"))
            #expect(!after.contains(">Accept the new header</button>"), "the acceptance is pending")

            let outsider = try await DashboardBrowser.signIn(client, email: "b@example.com")
            #expect(try await outsider.post("\(path)/poll", []).status == .notFound, "another tenant's source is not found")
        }
    }

    @Test func aSourceThatDoesNotPollHasNoPollingPanelAndRefusesPollNow() async throws {
        try await DashboardTestHarness.run { client, tenantA, _, _, _ in
            let browser = try await DashboardBrowser.signIn(client, email: "a@example.com")
            let path = "/dashboard/sources/\(tenantA.source.id.uuidString.lowercased())"
            let html = String(buffer: try await browser.get(path).body)
            #expect(!html.contains("id=\"polling\"") && !html.contains("Secrets (write-only"))
            let refused = try await browser.post("\(path)/poll", [])
            #expect(refused.status == .conflict)
            #expect(String(buffer: refused.body).contains("does not poll (kind api)"))
        }
    }

    @Test func aNewSheetSourceKeepsItsServiceAccountKeyAndShowsNeverPolledYet() async throws {
        try await DashboardTestHarness.run { client, _, _, _, stores in
            let browser = try await DashboardBrowser.signIn(client, email: "a@example.com")
            let blank = String(buffer: try await browser.get("/dashboard/sources/new").body)
            #expect(blank.contains("<option value=\"sheet\">") && blank.contains("<option value=\"shopmonkey_poll\">"))
            func create(key: String) async throws -> TestResponse {
                try await browser.post(
                    "/dashboard/sources",
                    [
                        ("name", "Sheet"), ("kind", "sheet"), ("preset", ""), ("config", #"{"spreadsheet_id": "s-1", "range": "Leads!A:Z"}"#),
                        ("secret_service_account", key), ("enabled", "on"),
                    ]
                )
            }
            let notAKey = try await create(key: #"{"type": "service_account"}"#)
            #expect(notAKey.status == .unprocessableContent)
            #expect(String(buffer: notAKey.body).contains("(paste the whole JSON key file Google gave you)</span>"), "shown by the secrets")
            let created = try await create(key: GoogleTestKey.json(GoogleTestKey.fields()))
            try #require(created.status == .seeOther, "\(created.status): \(String(buffer: created.body).prefix(600))")
            #expect(try await stores.count("SELECT count(*)::int FROM sources WHERE kind = 'sheet' AND secrets_ciphertext IS NOT NULL") == 1)
            let page = String(buffer: try await browser.get(try #require(created.headers[.location])).body)
            #expect(page.contains("<strong>never polled yet</strong>"))
            #expect(page.contains("No polls recorded yet.") && !page.contains(">Accept the new header</button>"))

            try await stores.postgres.query(
                """
                INSERT INTO poll_runs (source_id, tenant_id, worker_id, started_at, duration_ms, rows_read, new_rows, accepted, rejected,
                    outcome, rejections)
                SELECT id, tenant_id, 'worker-1', now(), 840, 52, 4, 3, 1, 'ok',
                    '[{"row": 14, "reason": "phone: not a phone number", "fields": {"Phone": "abc"}}]' FROM sources WHERE kind = 'sheet'
                """,
                logger: TestEnvironment.logger
            )
            let polled = String(buffer: try await browser.get(try #require(created.headers[.location])).body)
            #expect(polled.contains("<h3>Rejected rows of the last poll</h3>") && polled.contains("<li>row 14: phone: not a phone number</li>"))
            #expect(!polled.contains("Disabled: the workers do not poll"))

            let location = try #require(created.headers[.location])
            #expect(try await browser.post("\(location)/disable", []).status == .seeOther)
            #expect(String(buffer: try await browser.get(location).body).contains("Disabled: the workers do not poll this source"))
        }
    }

    @Test func aLeadsPageShowsTheEditsOfItsSheetRow() async throws {
        try await DashboardTestHarness.run { client, tenantA, _, _, stores in
            let response = try await client.postJSON("/api/leads", key: tenantA.apiKey, body: #"{"email": "dana@example.com"}"#)
            let results = response.json["results"] as? [[String: Any]]
            let leadId = try #require((results?.first?["lead_id"] as? NSNumber)?.int64Value)
            let browser = try await DashboardBrowser.signIn(client, email: "a@example.com")
            #expect(!String(buffer: try await browser.get("/dashboard/leads/\(leadId)").body).contains("Changed at the source"))
            try await stores.postgres.query(
                """
                INSERT INTO lead_source_changes (lead_id, source_id, location, before, after)
                VALUES (\(leadId), \(tenantA.source.id), 'Leads!A7', '{"Email": "dana@example.com", "City": "Haifa"}',
                    '{"Email": "dana@example.com", "City": "Tel Aviv"}')
                """,
                logger: TestEnvironment.logger
            )
            let html = String(buffer: try await browser.get("/dashboard/leads/\(leadId)").body)
            #expect(html.contains("<h2>Changed at the source</h2>") && html.contains("<span class=\"mono\">Leads!A7</span>"))
            #expect(html.contains("<tr><td>City</td><td dir=\"auto\">Haifa</td><td dir=\"auto\">Tel Aviv</td></tr>"))
            #expect(!html.contains("<td>Email</td>"), "unchanged fields are not listed")
        }
    }
}
