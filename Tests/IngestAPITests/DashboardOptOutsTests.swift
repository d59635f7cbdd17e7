import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Shared
import TestSupport
import Testing

@Suite("Dashboard: opt-outs")
struct DashboardOptOutsTests {
    @Test func aMemberOptsAnAddressOutAndBackInAndSeesOnlyTheirTenants() async throws {
        try await DashboardTestHarness.run { client, first, second, _, stores in
            let optOuts = OptOutStore(client: stores.postgres, logger: TestEnvironment.logger)
            try await optOuts.set(
                true,
                tenantId: second.tenant.id,
                channel: .sms,
                address: "+12015550999",
                cause: "keyword",
                keyword: "STOP",
                actor: "twilio"
            )
            let member = try await DashboardBrowser.signIn(client, email: "a@example.com")
            let added = try await member.post("/dashboard/optouts", [("channel", "whatsapp"), ("address", " +972501234567 "), ("action", "add")])
            #expect(added.status == .seeOther)
            #expect(try await optOuts.isOptedOut(tenantId: first.tenant.id, channel: .whatsapp, address: "+972501234567"))
            var page = String(buffer: try await member.get("/dashboard/optouts").body)
            #expect(page.contains("+972501234567") && page.contains("opted out"))
            #expect(!page.contains("+12015550999"), "another tenant's opt-out")

            let refused = try await member.post("/dashboard/optouts", [("channel", "sms"), ("address", "0501234567"), ("action", "add")])
            #expect(refused.status == .seeOther)
            #expect(try await optOuts.list(tenantId: first.tenant.id).count == 1, "a number not in E.164 is not stored")

            _ = try await member.post("/dashboard/optouts", [("channel", "whatsapp"), ("address", "+972501234567"), ("action", "remove")])
            #expect(try await !optOuts.isOptedOut(tenantId: first.tenant.id, channel: .whatsapp, address: "+972501234567"))
            page = String(buffer: try await member.get("/dashboard/optouts?all=1").body)
            #expect(page.contains("opted in again"))
            #expect(try await stores.count("SELECT count(*)::int FROM audit_log WHERE actor = 'a@example.com' AND action LIKE 'optouts.%'") == 2)

            let operatorView = try await DashboardBrowser.signIn(client, email: "ops@example.com")
            let other = String(buffer: try await operatorView.get("/dashboard/optouts?tenant=\(second.tenant.id.uuidString.lowercased())").body)
            #expect(other.contains("+12015550999") && other.contains("keyword (STOP)"))
        }
    }
}
