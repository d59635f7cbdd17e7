import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Shared
import TestSupport
import Testing

@Suite("Dashboard: a suspended destination")
struct DashboardSuspendedDestinationTests {
    @Test func theListSaysWhyAndSavingANewCredentialLiftsTheSuspension() async throws {
        try await DashboardTestHarness.run { client, first, _, _, stores in
            let destinations = DestinationStore(client: stores.postgres, logger: TestEnvironment.logger)
            let ghl = first.destinations[0]
            #expect(try await destinations.suspend(ghl.id, reason: "Twilio refused the account SID and auth token (20003)"))
            let browser = try await DashboardBrowser.signIn(client, email: "a@example.com")
            let list = String(buffer: try await browser.get("/dashboard/destinations").body)
            #expect(list.contains("<span class=\"badge dead\">suspended</span>"))
            #expect(list.contains("Twilio refused the account SID and auth token (20003). Its deliveries wait"))

            let saved = try await browser.post(
                "/dashboard/destinations/\(ghl.id.uuidString.lowercased())",
                [
                    ("name", ghl.name), ("config", #"{"locationId": "loc"}"#), ("secret", "a-new-token"), ("max_attempts", "8"),
                    ("timeout_ms", "10000"), ("dry_run", "on"), ("enabled", "on"),
                ]
            )
            #expect(saved.status == .seeOther, "\(String(buffer: saved.body))")
            #expect(try await destinations.find(ghl.id.uuidString, tenantId: nil).suspendedAt == nil)
            let after = String(buffer: try await browser.get("/dashboard/destinations").body)
            #expect(!after.contains(">suspended<"))
        }
    }
}
