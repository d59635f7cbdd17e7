import Foundation
import PostgresNIO
import Shared
import TestSupport

extension DataStores {
    /// The single integer a test query returns.
    func count(_ query: PostgresQuery) async throws -> Int {
        var result = 0
        for try await value in try await postgres.query(query, logger: TestEnvironment.logger).decode(Int.self) {
            result = value
        }
        return result
    }

    /// Creates a source for a seeded tenant, linked to its destinations.
    func makeSource(
        _ tenant: IngestAPITestHarness.SeededTenant,
        name: String,
        kind: SourceKind,
        config: [String: JSONValue] = [:]
    ) async throws -> Source {
        try await SourceStore(client: postgres, logger: TestEnvironment.logger).create(
            tenantId: tenant.tenant.id,
            name: name,
            kind: kind,
            config: config,
            destinationIds: tenant.destinations.map(\.id)
        )
    }
}
