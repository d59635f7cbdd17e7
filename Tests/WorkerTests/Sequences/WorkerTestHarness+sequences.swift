import Foundation
import Shared
import TestSupport

extension WorkerTestHarness {
    /// Creates a sequence of this tenant from `json` (the steps name `destinations` by their
    /// names), with the tenant zone UTC and no default sales rules.
    func createSequence(_ json: JSONValue, name: String, destinations: [Destination]) async throws -> FollowUpSequence {
        let definition = try SequenceDefinition(json: json, tenantTimeZone: .gmt, defaultSalesRules: false, destinations: destinations)
        return try await SequenceStore(client: stores.postgres, logger: logger)
            .create(tenantId: tenant.id, name: name, definition: definition, actor: "test")
    }

    /// A new API source (delivering to nothing) whose new leads enter `sequence`.
    func newSource(entering sequence: FollowUpSequence) async throws -> Source {
        let source = try await SourceStore(client: stores.postgres, logger: logger)
            .create(tenantId: tenant.id, name: TestEnvironment.uniqueName("s"), kind: .api, destinationIds: [])
        try await SequenceStore(client: stores.postgres, logger: logger).assign(sequence, toSource: source.id, tenantId: tenant.id, actor: "test")
        return source
    }
}
