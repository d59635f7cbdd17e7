import Foundation
import HTTPTypes
import HummingbirdTesting
import IngestAPIApp
import NIOCore
import Shared
import TestSupport
import Testing

/// Issue 17: the destination form takes its kinds, their config fields and default rate limits
/// from the destination registry, and checks a config with the kind's adapter before saving.
@Suite("Destination form: kinds from the registry")
struct DestinationFormKindsTests {
    @Test func theFormListsEveryRegisteredKindWithItsFields() async throws {
        try await DashboardTestHarness.run { client, _, _, _, _ in
            let browser = try await DashboardBrowser.signIn(client, email: "a@example.com")
            let html = String(buffer: try await browser.get("/dashboard/destinations/new").body)
            for adapter in DestinationRegistry.adapters {
                #expect(html.contains("<option value=\"\(adapter.kind.rawValue)\""), "\(adapter.kind)")
                #expect(html.contains("\(adapter.displayName) (\(adapter.kind.rawValue))"), "\(adapter.kind)")
            }
            #expect(html.contains("GoHighLevel (ghl): locationId (required), country, source, tags, custom_fields, contact_fields"))
            #expect(html.contains("Momence (momence): hostId (required), sourceId"))
            #expect(html.contains("GoHighLevel 100 / 10 s"))
            #expect(html.contains("Momence 1 / 3 s"))
        }
    }

    @Test func aConfigTheKindDoesNotReadIsRefusedOnTheConfigField() async throws {
        try await DashboardTestHarness.run { client, first, _, _, stores in
            let browser = try await DashboardBrowser.signIn(client, email: "a@example.com")
            let response = try await browser.post(
                "/dashboard/destinations",
                [
                    ("name", "Typo"), ("kind", "momence"), ("config", #"{"hostId": "1", "sourceID": 7}"#), ("max_attempts", "1"),
                    ("enabled", "on"),
                ]
            )
            #expect(response.status == .unprocessableContent)
            let html = String(buffer: response.body)
            #expect(html.contains("Momence config has no field sourceID; it takes hostId, sourceId"), "\(html.prefix(3_000))")
            let names = try await DestinationStore(client: stores.postgres, logger: TestEnvironment.logger)
                .list(tenantId: first.tenant.id).map(\.name)
            #expect(!names.contains("Typo"))
        }
    }
}
