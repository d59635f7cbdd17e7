import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import Shared
import TestSupport
import Testing

@Suite("Dashboard: possible duplicate sends")
struct DashboardPossibleDuplicateTests {
    @Test func anAttemptThatSentAgainIsMarkedAPossibleDuplicate() async throws {
        try await DashboardTestHarness.run { client, tenantA, _, _, stores in
            let response = try await client.postJSON("/api/leads", key: tenantA.apiKey, body: #"{"email": "dup@example.com"}"#)
            let results = response.json["results"] as? [[String: Any]]
            let id = try #require((results?.first?["lead_id"] as? NSNumber)?.int64Value)
            try await stores.postgres.query(
                """
                INSERT INTO delivery_attempts (delivery_id, attempt, worker_id, started_at, duration_ms, outcome, error_class,
                                               error_message, possible_duplicate)
                SELECT d.id, a.n, 'w', now(), 10, a.outcome, a.class, a.message, a.duplicate
                FROM (SELECT id FROM deliveries WHERE lead_id = \(id) ORDER BY id LIMIT 1) d,
                     (VALUES (1, 'retryable', 'timeout', 'no answer within 2000 ms', NULL::boolean),
                             (2, 'succeeded', NULL, 'sent again, possibly a duplicate', true)) AS a(n, outcome, class, message, duplicate)
                """,
                logger: TestEnvironment.logger
            )
            let detail = try #require(try await LeadLookup(client: stores.postgres, logger: TestEnvironment.logger).detail(leadId: id, tenantId: nil))
            let log = try #require(detail.deliveries.first { !$0.attemptLog.isEmpty }?.attemptLog)
            #expect(log.map(\.possibleDuplicate) == [nil, true])
            let browser = try await DashboardBrowser.signIn(client, email: "a@example.com")
            let page = String(buffer: try await browser.get("/dashboard/leads/\(id)").body)
            #expect(page.components(separatedBy: ">possible duplicate<").count == 2, "only the attempt that sent again")
        }
    }
}
