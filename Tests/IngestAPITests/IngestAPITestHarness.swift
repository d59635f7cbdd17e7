import Foundation
import Hummingbird
import HummingbirdTesting
import IngestAPIApp
import Logging
import PostgresNIO
import Shared
import TestSupport

/// A live ingestion API on a private database and Redis prefix, with a seeded tenant.
struct IngestAPITestHarness: Sendable {
    struct SeededTenant: Sendable {
        var tenant: Tenant
        var apiKey: String
        var source: Source
        var destinations: [Destination]
    }

    let database: TestDatabase
    let configuration: AppConfiguration

    /// Seeds a tenant with an API source fanning out to two dry-run destinations.
    static func seed(_ client: PostgresClient, name: String, configuration: AppConfiguration) async throws -> SeededTenant {
        let logger = TestEnvironment.logger
        let tenant = try await TenantStore(client: client, logger: logger).create(name: name)
        let destinations = DestinationStore(client: client, logger: logger)
        let ghl = try await destinations.create(
            .withDefaults(tenantId: tenant.id, name: "ghl", kind: .ghl, config: ["locationId": .string("loc")], dryRun: true),
            sealedSecret: try configuration.secretBox.seal("token")
        )
        let npa = try await destinations.create(
            .withDefaults(tenantId: tenant.id, name: "npa", kind: .npa, config: [:], dryRun: true),
            sealedSecret: nil
        )
        let source = try await SourceStore(client: client, logger: logger).create(
            tenantId: tenant.id,
            name: "API",
            kind: .api,
            destinationIds: [ghl.id, npa.id]
        )
        let key = try await APIKeyStore(client: client, logger: logger).create(tenantId: tenant.id, name: "test").key
        return SeededTenant(tenant: tenant, apiKey: key, source: source, destinations: [ghl, npa])
    }

    /// Runs `body` against a live server with two seeded tenants (`extra`: more environment).
    static func run(
        extra: [String: String] = [:],
        _ body: @escaping @Sendable (any TestClientProtocol, SeededTenant, SeededTenant, DataStores) async throws -> Void
    ) async throws {
        try await TestDatabase.withDatabase { database in
            let configuration = try TestEnvironment.configuration(
                database: database.configuration,
                redisKeyPrefix: TestEnvironment.uniqueName("lr"),
                extra: ["MIGRATE_ON_BOOT": "false"].merging(extra) { _, new in new }
            )
            let (first, second) = try await database.withClient { client in
                (
                    try await seed(client, name: "Tenant A", configuration: configuration),
                    try await seed(client, name: "Tenant B", configuration: configuration)
                )
            }
            let stores = DataStores(configuration: configuration, logger: TestEnvironment.logger)
            let app = buildApplication(configuration: configuration, stores: stores, logger: TestEnvironment.logger)
            try await app.test(.live) { client in
                try await body(client, first, second, stores)
            }
        }
    }
}

extension TestClientProtocol {
    /// POSTs JSON text with a bearer key.
    func postJSON(_ uri: String, key: String?, body: String, headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let key { headers[.authorization] = "Bearer \(key)" }
        headers.append(contentsOf: extra)
        return try await execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
    }
}

extension TestResponse {
    /// The body decoded as a JSON object.
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] ?? [:]
    }
}
