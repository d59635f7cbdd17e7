import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IngestAPIApp
import Shared
import TestSupport
import Testing

@Suite("Metrics endpoint in production")
struct MetricsInProductionTests {
    /// Settings that mark a deployment as production.
    static let productionMarkers: [[String: String]] = [
        ["LOG_FORMAT": "json"], ["RAILWAY_ENVIRONMENT": "production"],
        ["RAILWAY_PROJECT_ID": "0b6f3c5e-7a55-4f61-9d8e-8c1f6f1f2a10"],
    ]

    @Test(arguments: productionMarkers)
    func withoutATokenProductionDoesNotServeMetrics(_ marker: [String: String]) async throws {
        try await serve(marker) { client in
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .notFound)
            #expect(!String(buffer: response.body).contains("leadrelay_"))
        }
    }

    @Test(arguments: productionMarkers)
    func withATokenProductionServesMetricsToItsHolder(_ marker: [String: String]) async throws {
        try await serve(marker.merging(["METRICS_TOKEN": "scrape-me"]) { _, new in new }) { client in
            #expect(try await client.execute(uri: "/metrics", method: .get).status == .unauthorized)
            let right = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer scrape-me"])
            #expect(right.status == .ok)
        }
    }

    @Test func theConfigurationSaysWhatLooksLikeProduction() throws {
        for marker in Self.productionMarkers {
            #expect(try configuration(marker).isProduction, "\(marker)")
        }
        #expect(try !configuration(["LOG_FORMAT": "text"]).isProduction)
    }

    private func configuration(_ extra: [String: String]) throws -> AppConfiguration {
        let database = try DatabaseConfiguration(url: "postgres://leadrelay@127.0.0.1:5432/unused")
        return try TestEnvironment.configuration(database: database, redisKeyPrefix: "unused", extra: extra)
    }

    private func serve(_ extra: [String: String], _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await TestDatabase.withDatabase { database in
            let configuration = try TestEnvironment.configuration(
                database: database.configuration,
                redisKeyPrefix: TestEnvironment.uniqueName("lr"),
                extra: ["MIGRATE_ON_BOOT": "false"].merging(extra) { _, new in new }
            )
            try await buildApplication(configuration: configuration, logger: TestEnvironment.logger).test(.live, body)
        }
    }
}
