import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import Shared
import TestSupport
import Testing

@Suite("Dashboard: follow-up sequences")
struct DashboardSequenceTests {
    /// Two steps (the seeded tenants' dry-run destinations), a window in Jerusalem, a reply action.
    static let definition = """
        {"time_zone": "Asia/Jerusalem", "window": {"start": "08:00", "end": "21:00"},
         "steps": [{"destination": "ghl"}, {"destination": "npa", "after": "24h", "unless": ["replied"]}],
         "on_reply": ["ghl"]}
        """

    /// The id in a `303` to `/dashboard/sequences/<id>`.
    private func sequenceId(_ response: TestResponse) throws -> UUID {
        try #require(response.status == .seeOther, "expected 303, got \(response.status): \(String(buffer: response.body).prefix(800))")
        let location = try #require(response.headers[.location])
        try #require(location.hasPrefix("/dashboard/sequences/"), "unexpected location \(location)")
        return try #require(UUID(uuidString: String(location.dropFirst("/dashboard/sequences/".count))))
    }

    private func newLead(_ client: any TestClientProtocol, key: String) async throws -> Int64 {
        let response = try await client.postJSON("/api/leads", key: key, body: #"{"email": "dana@example.com", "phone": "+972501234567"}"#)
        let results = response.json["results"] as? [[String: Any]]
        return try #require((results?.first?["lead_id"] as? NSNumber)?.int64Value)
    }

    @Test func aMemberCreatesPreviewsAndEditsASequenceWithItsValidationErrorsShown() async throws {
        try await DashboardTestHarness.run { client, _, _, _, stores in
            let browser = try await DashboardBrowser.signIn(client, email: "a@example.com")
            let list = String(buffer: try await browser.get("/dashboard/sequences").body)
            #expect(list.contains("href=\"/dashboard/sequences\" aria-current=\"page\">Sequences</a>"))
            #expect(list.contains("No sequences yet.") && list.contains("/dashboard/sequences/new"))
            let blank = String(buffer: try await browser.get("/dashboard/sequences/new").body)
            #expect(blank.contains("name=\"definition\"") && blank.contains("&quot;ghl&quot;"), "an example naming the tenant's destinations")

            let typo = Self.definition.replacingOccurrences(of: "\"24h\"", with: "\"soon\"")
            let invalid = try await browser.post("/dashboard/sequences", [("name", "Welcome"), ("definition", typo), ("intent", "save")])
            #expect(invalid.status == .unprocessableContent)
            let invalidHTML = String(buffer: invalid.body)
            #expect(invalidHTML.contains("steps[1].after: &quot;soon&quot; is not a duration"))
            #expect(invalidHTML.contains("&quot;after&quot;: &quot;soon&quot;"), "the text typed is kept")
            let notJSON = try await browser.post("/dashboard/sequences", [("name", "Welcome"), ("definition", "{steps"), ("intent", "save")])
            #expect(notJSON.status == .unprocessableContent && String(buffer: notJSON.body).contains("is not JSON"))

            let preview = try await browser.post(
                "/dashboard/sequences",
                [("name", "Welcome"), ("definition", Self.definition), ("intent", "preview")]
            )
            let previewHTML = String(buffer: preview.body)
            #expect(preview.status == .ok)
            #expect(previewHTML.contains("Preview (not saved)") && previewHTML.contains("step 2 (npa) would send at"))
            #expect(previewHTML.contains("Asia/Jerusalem), window 08:00–21:00"))
            #expect(try await stores.count("SELECT count(*)::int FROM sequences") == 0, "a preview saves nothing")

            let id = try sequenceId(
                try await browser.post("/dashboard/sequences", [("name", "Welcome"), ("definition", Self.definition), ("intent", "save")])
            )
            let page = String(buffer: try await browser.get("/dashboard/sequences/\(id)").body)
            #expect(page.contains("Sequence “Welcome” created (version 1)."))
            #expect(page.contains("Editing a sequence does not change enrollments already running: each keeps the version it started with."))
            #expect(page.contains("<td>Step 2</td><td>npa</td><td>after 24h</td><td>unless replied</td>"))
            #expect(page.contains("<td>On reply 1</td><td>ghl</td>"))
            #expect(page.contains("08:00–21:00 every day Asia/Jerusalem"))
            #expect(page.contains("step 2 (npa) would send at"))
            #expect(try await stores.count("SELECT count(*)::int FROM audit_log WHERE action = 'sequence.create' AND actor = 'a@example.com'") == 1)

            let edit = String(buffer: try await browser.get("/dashboard/sequences/\(id)/edit").body)
            #expect(edit.contains("&quot;destination_id&quot;"), "the form holds the stored canonical definition")
            let longer = Self.definition.replacingOccurrences(of: "\"24h\"", with: "\"48h\"")
            #expect(try sequenceId(try await browser.post("/dashboard/sequences/\(id)", [("name", "Welcome"), ("definition", longer)])) == id)
            let edited = String(buffer: try await browser.get("/dashboard/sequences/\(id)").body)
            #expect(edited.contains("version 2") && edited.contains("after 48h"))

            #expect(try await browser.post("/dashboard/sequences/\(id)/disable", []).status == .seeOther)
            let listed = String(buffer: try await browser.get("/dashboard/sequences").body)
            #expect(listed.contains(">Welcome</a>") && listed.contains("badge dead\">disabled"))
        }
    }

    @Test func theLeadPageEnrollsShowsTheTimelineAndUnenrolls() async throws {
        try await DashboardTestHarness.run { client, tenantA, _, _, stores in
            let browser = try await DashboardBrowser.signIn(client, email: "a@example.com")
            let id = try sequenceId(
                try await browser.post("/dashboard/sequences", [("name", "Welcome"), ("definition", Self.definition), ("intent", "save")])
            )
            let leadId = try await newLead(client, key: tenantA.apiKey)
            let before = String(buffer: try await browser.get("/dashboard/leads/\(leadId)").body)
            #expect(
                before.contains("This lead is in no follow-up sequence.")
                    && before.contains("<option value=\"\(id.uuidString.lowercased())\">Welcome")
            )

            let enrolled = try await browser.post("/dashboard/leads/\(leadId)/sequences/enroll", [("sequence", id.uuidString.lowercased())])
            #expect(enrolled.status == .seeOther)
            let enrollmentId = try #require(
                try await stores.postgres.query(
                    "SELECT id FROM sequence_enrollments WHERE lead_id = \(leadId) AND enrolled_by = 'a@example.com'",
                    logger: TestEnvironment.logger
                ).collect().first?.decode(Int64.self)
            )
            // What the worker would have done: step 1 sent, step 2 scheduled for 2026-12-08 08:00 in Jerusalem.
            let due = try #require(ISO8601DateFormatter().date(from: "2026-12-08T06:00:00Z"))
            try await stores.postgres.query(
                """
                WITH steps AS (
                    INSERT INTO deliveries (tenant_id, lead_id, destination_id, status, enrollment_id, step_index, next_attempt_at, finished_at)
                    VALUES (\(tenantA.tenant.id), \(leadId), \(tenantA.destinations[0].id), 'succeeded', \(enrollmentId), 0, NULL, now()),
                           (\(tenantA.tenant.id), \(leadId), \(tenantA.destinations[1].id), 'scheduled', \(enrollmentId), 1, \(due), NULL)
                    RETURNING id)
                UPDATE sequence_enrollments SET next_step = 1, next_due_at = \(due), needs_schedule = false WHERE id = \(enrollmentId)
                """,
                logger: TestEnvironment.logger
            )
            let lead = String(buffer: try await browser.get("/dashboard/leads/\(leadId)").body)
            #expect(lead.contains("Enrolled in “Welcome” (version 1)."))
            #expect(lead.contains("href=\"/dashboard/sequences/\(id.uuidString.lowercased())\">Welcome</a>"))
            #expect(lead.contains("by a@example.com"))
            #expect(lead.contains("Next: step 2 (npa) at <span class=\"mono\">2026-12-08T06:00:00Z</span> (2026-12-08 08:00 +02:00 Asia/Jerusalem)"))
            #expect(lead.contains("<span class=\"badge succeeded\">succeeded</span>"))
            #expect(lead.contains("due 2026-12-08T06:00:00Z (2026-12-08 08:00 +02:00 Asia/Jerusalem)"))

            let sequence = String(buffer: try await browser.get("/dashboard/sequences/\(id)").body)
            #expect(
                sequence.contains("<td class=\"num\">1</td><td class=\"num\">0</td><td class=\"num\">0</td><td class=\"num\">0</td>"),
                "step 1 succeeded once"
            )
            #expect(
                sequence.contains("<td class=\"num\">0</td><td class=\"num\">0</td><td class=\"num\">0</td><td class=\"num\">1</td>"),
                "step 2 scheduled once"
            )
            #expect(sequence.contains("href=\"/dashboard/leads/\(leadId)\">dana@example.com</a>"))
            #expect(sequence.contains("step 2: npa</td><td class=\"mono\">2026-12-08T06:00:00Z</td><td>2026-12-08 08:00 +02:00 Asia/Jerusalem</td>"))

            #expect(try await browser.post("/dashboard/leads/\(leadId)/sequences/unenroll", [("sequence", id.uuidString)]).status == .seeOther)
            let after = String(buffer: try await browser.get("/dashboard/leads/\(leadId)").body)
            #expect(after.contains("Unenrolled from “Welcome”."))
            #expect(after.contains("Stopped: exited: unenrolled by a@example.com"))
            #expect(after.contains("<span class=\"badge skipped\">skipped</span>"), "the ended enrollment's scheduled step is skipped")
            let ended = String(buffer: try await browser.get("/dashboard/sequences/\(id)").body)
            #expect(ended.contains("<td>unenrolled by a@example.com</td><td class=\"num\">1</td>"))
            #expect(try await stores.count("SELECT count(*)::int FROM audit_log WHERE action = 'sequence.unenroll' AND actor = 'a@example.com'") == 1)
        }
    }

    @Test func anotherTenantsSequenceIsNotFound() async throws {
        try await DashboardTestHarness.run { client, tenantA, _, _, _ in
            let owner = try await DashboardBrowser.signIn(client, email: "a@example.com")
            let id = try sequenceId(
                try await owner.post("/dashboard/sequences", [("name", "Welcome"), ("definition", Self.definition), ("intent", "save")])
            )
            let leadId = try await newLead(client, key: tenantA.apiKey)
            let other = try await DashboardBrowser.signIn(client, email: "b@example.com")
            #expect(try await other.get("/dashboard/sequences/\(id)").status == .notFound)
            #expect(try await other.get("/dashboard/sequences/\(id)/edit").status == .notFound)
            #expect(try await other.post("/dashboard/sequences/\(id)", [("name", "Mine"), ("definition", Self.definition)]).status == .notFound)
            #expect(try await other.post("/dashboard/sequences/\(id)/disable", []).status == .notFound)
            #expect(try await other.post("/dashboard/leads/\(leadId)/sequences/enroll", [("sequence", id.uuidString)]).status == .notFound)
            #expect(!String(buffer: try await other.get("/dashboard/sequences").body).contains("Welcome"))
            let operatorList = String(buffer: try await DashboardBrowser.signIn(client, email: "ops@example.com").get("/dashboard/sequences").body)
            #expect(operatorList.contains(">Welcome</a></td><td>Tenant A</td>"))
        }
    }
}
