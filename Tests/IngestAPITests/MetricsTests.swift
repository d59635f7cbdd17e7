import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IngestAPIApp
import NIOCore
import Shared
import TestSupport
import Testing

@Suite("Metrics endpoint")
struct MetricsTests {
    @Test func metricsCountIngestedLeadsAndShowTheQueue() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, _ in
            _ = try await client.postJSON("/api/leads/bulk", key: tenant.apiKey, body: #"[{"email": "m1@example.com"}, {"email": "m1@example.com"}]"#)
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = String(buffer: response.body)
            #expect(text.contains(#"leadrelay_leads_total{channel="api",outcome="accepted"}"#))
            #expect(text.contains(#"leadrelay_leads_total{channel="api",outcome="duplicate"}"#))
            #expect(text.contains("leadrelay_queue_stream_length"))
            #expect(text.contains(#"leadrelay_deliveries{status="dead"}"#))
        }
    }

    @Test func aMetricsTokenIsRequiredWhenConfigured() async throws {
        try await TestDatabase.withDatabase { database in
            let configuration = try TestEnvironment.configuration(
                database: database.configuration,
                redisKeyPrefix: TestEnvironment.uniqueName("lr"),
                extra: ["MIGRATE_ON_BOOT": "false", "METRICS_TOKEN": "scrape-me"]
            )
            let app = buildApplication(configuration: configuration, logger: TestEnvironment.logger)
            try await app.test(.live) { client in
                #expect(try await client.execute(uri: "/metrics", method: .get).status == .unauthorized)
                let wrong = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer nope"])
                #expect(wrong.status == .unauthorized)
                let right = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer scrape-me"])
                #expect(right.status == .ok)
            }
        }
    }
}
