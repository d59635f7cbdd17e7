import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import Shared
import TestSupport
import Testing

@Suite("Dashboard: a lead's conversation and stage")
struct DashboardConversationTests {
    @Test func theLeadPageShowsTheConversationInTimeOrderAndSetsTheStage() async throws {
        try await DashboardTestHarness.run { client, tenantA, _, _, stores in
            let response = try await client.postJSON(
                "/api/leads",
                key: tenantA.apiKey,
                body: #"{"email": "dana@example.com", "phone": "+972501234567", "first_name": "דנה"}"#
            )
            let results = response.json["results"] as? [[String: Any]]
            let id = try #require((results?.first?["lead_id"] as? NSNumber)?.int64Value)
            try await stores.postgres.query(
                """
                INSERT INTO messages (tenant_id, lead_id, direction, channel, address, sender, provider_message_id, body, status,
                                      status_rank, created_at)
                VALUES (\(tenantA.tenant.id), \(id), 'out', 'sms', '+972501234567', '+15017122661', 'SM1', 'שלום דנה 👋', 'delivered', 4,
                        now() - interval '2 minutes'),
                       (\(tenantA.tenant.id), \(id), 'in', 'sms', '+972501234567', '+15017122661', 'SM2', 'כן, <b>תתקשרו</b>', 'received', 0,
                        now() - interval '1 minute')
                """,
                logger: TestEnvironment.logger
            )
            let browser = try await DashboardBrowser.signIn(client, email: "a@example.com")
            let page = String(buffer: try await browser.get("/dashboard/leads/\(id)").body)
            let out = try #require(page.range(of: "שלום דנה 👋"))
            let reply = try #require(page.range(of: "כן, &lt;b&gt;תתקשרו&lt;/b&gt;"), "the reply is shown escaped")
            #expect(out.lowerBound < reply.lowerBound, "oldest first")
            #expect(page.contains(">delivered<"))
            // Empty values render nothing (Mustache sections treat "" as present, so views use nil).
            #expect(!page.contains("alert-text\"></span>") && !page.contains("class=\"alert\"></p>"))
            #expect(!page.contains("next attempt"), "queued deliveries have no next attempt time")
            #expect(page.contains("Stage <span class=\"badge stage-new\">New</span>"))

            let moved = try await browser.post("/dashboard/leads/\(id)/stage", [("stage", "appointment_set")])
            #expect(moved.status == .seeOther || moved.status == .found)
            let after = String(buffer: try await browser.get("/dashboard/leads/\(id)").body)
            #expect(after.contains("badge stage-appointment_set\">Appointment set<"))
            #expect(
                try await stores.count("SELECT count(*)::int FROM lead_stage_changes WHERE cause = 'operator' AND to_stage = 'appointment_set'") == 1
            )
            #expect(try await stores.count("SELECT count(*)::int FROM audit_log WHERE action = 'lead.stage' AND actor = 'a@example.com'") == 1)
            let list = String(buffer: try await browser.get("/dashboard/leads").body)
            #expect(list.contains("href=\"/dashboard/leads?stage=appointment_set\" class=\"badge stage-appointment_set\">Appointment set 1</a>"))
            #expect(list.contains("href=\"/dashboard/leads?stage=new\" class=\"badge stage-new\">New 0</a>"))
            let inStage = String(buffer: try await browser.get("/dashboard/leads?stage=appointment_set").body)
            #expect(inStage.contains("Newest leads in stage Appointment set") && inStage.contains("/dashboard/leads/\(id)\""))
            let other = String(buffer: try await browser.get("/dashboard/leads?stage=lost").body)
            #expect(!other.contains("/dashboard/leads/\(id)\""))
            let bogus = try await browser.post("/dashboard/leads/\(id)/stage", [("stage", "won")])
            #expect(bogus.status == .seeOther || bogus.status == .found)
            #expect(try await stores.count("SELECT count(*)::int FROM leads WHERE id = \(id) AND stage = 'appointment_set'") == 1)
        }
    }
}
