import Foundation
import HTTPTypes
import HummingbirdTesting
import IngestAPIApp
import NIOCore
import Shared
import TestSupport
import Testing

/// Issue 21, item 3: the destination form refuses URLs on private networks (as the worker does on
/// every call), and only operators may allow them for a destination.
@Suite("Destination form: private network targets")
struct DestinationPrivateNetworkFormTests {
    /// A production-like deployment: private networks not allowed.
    static let production = ["LEADRELAY_ALLOW_PRIVATE_NETWORKS": "false"]

    @Test(arguments: [
        (#"{"url": "http://169.254.169.254/latest/meta-data/"}"#, "", "refused to call 169.254.169.254, a link-local address"),
        (#"{"url": "http://10.0.0.5:8080/hook"}"#, "", "refused to call 10.0.0.5, a private address"),
        (#"{"url": "http://[::1]/"}"#, "", "refused to call ::1, a loopback address"),
        ("{}", "http://localhost:9090", "refused to call localhost: the name belongs to a loopback network"),
        ("{}", "http://127.1/", "refused to call 127.1: it resolves to 127.0.0.1, a loopback address"),
    ])
    func aMemberCannotSaveAPrivateTarget(_ config: String, _ baseURL: String, _ reason: String) async throws {
        try await DashboardTestHarness.run(extra: Self.production) { client, first, _, _, stores in
            let browser = try await DashboardBrowser.signIn(client, email: "a@example.com")
            let response = try await browser.post(
                "/dashboard/destinations",
                [
                    ("name", "Internal"), ("kind", "http"), ("config", config), ("base_url", baseURL), ("max_attempts", "1"),
                    ("enabled", "on"), ("allow_private_network", "on"),  // a member's checkbox is ignored
                ]
            )
            #expect(response.status == .unprocessableContent)
            let html = String(buffer: response.body)
            #expect(html.contains(reason), "\(html.prefix(3_000))")
            #expect(!html.contains("name=\"allow_private_network\""), "members are not offered the permission")
            let names = try await DestinationStore(client: stores.postgres, logger: TestEnvironment.logger)
                .list(tenantId: first.tenant.id).map(\.name)
            #expect(!names.contains("Internal"))
        }
    }

    @Test func anOperatorMayAllowAPrivateTargetAndAMemberCannotUndoOrRedoIt() async throws {
        try await DashboardTestHarness.run(extra: Self.production) { client, first, _, _, stores in
            let operatorBrowser = try await DashboardBrowser.signIn(client, email: "ops@example.com")
            let form = String(buffer: try await operatorBrowser.get("/dashboard/destinations/new").body)
            #expect(form.contains("name=\"allow_private_network\""))
            let created = try await operatorBrowser.post(
                "/dashboard/destinations",
                [
                    ("tenant", first.tenant.id.uuidString), ("name", "On-prem CRM"), ("kind", "http"),
                    ("config", #"{"url": "http://10.0.0.5:8080/hook"}"#), ("max_attempts", "1"), ("enabled", "on"),
                    ("allow_private_network", "on"),
                ]
            )
            #expect(created.status == .seeOther, "\(String(buffer: created.body).prefix(2_000))")
            let store = DestinationStore(client: stores.postgres, logger: TestEnvironment.logger)
            let saved = try #require(try await store.list(tenantId: first.tenant.id).first { $0.name == "On-prem CRM" })
            #expect(saved.allowPrivateNetwork)

            // A member's save (no checkbox: members are not shown one) keeps the operator's permission.
            let member = try await DashboardBrowser.signIn(client, email: "a@example.com")
            let page = String(buffer: try await member.get("/dashboard/destinations/\(saved.id.uuidString.lowercased())").body)
            #expect(page.contains("An operator allowed private network addresses"))
            let edited = try await member.post(
                "/dashboard/destinations/\(saved.id.uuidString.lowercased())",
                [
                    ("name", "On-prem CRM"), ("config", #"{"url": "http://10.0.0.6:8080/hook"}"#), ("max_attempts", "1"), ("enabled", "on"),
                ]
            )
            #expect(edited.status == .seeOther, "\(String(buffer: edited.body).prefix(2_000))")
            #expect(try await store.find(saved.id.uuidString, tenantId: first.tenant.id).allowPrivateNetwork)
        }
    }
}
