import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Shared
import TestSupport
import Testing

/// Ids of 15 to 19 digits sent as JSON numbers to the lead API and to a webhook over HTTP are
/// stored in `leads.extra` and `leads.raw` with exactly the digits received (issue 21, item 2).
@Suite("Large JSON ids over HTTP")
struct LargeJSONIdTests {
    static let ids = ["123456789012345", "1231231231231234", "12312312312312345", "1231231231231231234"]

    /// The single text a query returns ("" when none).
    static func text(_ stores: DataStores, _ query: PostgresQuery) async throws -> String {
        var result = ""
        for try await value in try await stores.postgres.query(query, logger: TestEnvironment.logger).decode(String.self) { result = value }
        return result
    }

    @Test("POST /api/leads/bulk and /api/leads keep numeric ids in extra and raw", arguments: ids)
    func leadAPIKeepsDigits(id: String) async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let bulk = #"{"leads":[{"email":"bulk-\#(id)@example.com","crm_id":\#(id),"refs":{"order":\#(id)}}]}"#
            let response = try await client.postJSON("/api/leads/bulk", key: tenant.apiKey, body: bulk)
            #expect(response.status == .accepted, "\(String(buffer: response.body))")
            #expect(try await Self.text(stores, "SELECT extra->>'crm_id' FROM leads WHERE email LIKE 'bulk-%'") == id)
            #expect(try await Self.text(stores, "SELECT extra->'refs'->>'order' FROM leads WHERE email LIKE 'bulk-%'") == id)
            #expect(try await Self.text(stores, "SELECT raw->>'crm_id' FROM leads WHERE email LIKE 'bulk-%'") == id)

            let single = #"{"email":"single-\#(id)@example.com","crm_id":\#(id)}"#
            let one = try await client.postJSON("/api/leads", key: tenant.apiKey, body: single)
            #expect(one.status.code < 300, "\(String(buffer: one.body))")
            #expect(try await Self.text(stores, "SELECT extra->>'crm_id' FROM leads WHERE email LIKE 'single-%'") == id)
        }
    }

    @Test("a generic webhook over HTTP keeps numeric ids in extra and raw", arguments: ids)
    func webhookKeepsDigits(id: String) async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let source = try await WebhooksTests.webhookSource(stores, tenant, preset: .generic)
            let body = #"{"email":"hook-\#(id)@example.com","crm_id":\#(id),"list":[\#(id),1.5E-7,-0]}"#
            let response = try await WebhooksTests.post(client, source, body: Array(body.utf8))
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            #expect(try await Self.text(stores, "SELECT extra->>'crm_id' FROM leads") == id)
            #expect(try await Self.text(stores, "SELECT raw->'list'->>0 FROM leads") == id)
        }
    }
}
