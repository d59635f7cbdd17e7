import Foundation
import PostgresNIO
import Shared
import TestSupport
import Testing

@Suite("Sequence store")
struct SequenceStoreTests {
    @Test func aSequenceIsSavedVersionedAssignedToASourceAndAudited() async throws {
        try await TestDatabase.withDatabase { database in
            try await database.withClient { client in
                let logger = TestEnvironment.logger
                let tenant = try await TenantStore(client: client, logger: logger).create(name: "Seq \(UUID().uuidString.prefix(6))")
                let destinations = DestinationStore(client: client, logger: logger)
                var saved: [Destination] = []
                for fixture in SequenceDefinitionTests.destinations {
                    saved.append(
                        try await destinations.create(
                            Destination.withDefaults(tenantId: tenant.id, name: fixture.name, kind: fixture.kind, config: [:]),
                            sealedSecret: nil
                        )
                    )
                }
                let json = try JSONValue.parse(SequenceDefinitionTests.seedFlow)
                let definition = try SequenceDefinition(json: json, tenantTimeZone: .gmt, defaultSalesRules: false, destinations: saved)
                let store = SequenceStore(client: client, logger: logger)
                let created = try await store.create(tenantId: tenant.id, name: "Monday follow-up", definition: definition, actor: "test")
                #expect(created.version == 1 && created.enabled)
                #expect(try created.definition() == definition, "what is stored reads back the same")
                #expect(try created.definition().steps[2].onlyIfCRMStatus?.label == "נשלחה הודעה")

                await #expect(throws: StoreError.self) {
                    try await store.create(tenantId: tenant.id, name: "Monday follow-up", definition: definition, actor: "test")
                }
                let unchanged = try await store.update(created, definition: definition, actor: "test")
                #expect(unchanged.version == 1, "saving the same definition is not a new version")
                var edited = definition
                edited.expireAfterSeconds = 48 * 3_600
                let updated = try await store.update(created, definition: edited, enabled: false, actor: "test")
                #expect(updated.version == 2 && !updated.enabled)
                #expect(try await store.find("Monday follow-up", tenantId: tenant.id).id == created.id)
                #expect(try await store.list(tenantId: tenant.id).map(\.name) == ["Monday follow-up"])

                let source = try await SourceStore(client: client, logger: logger).create(
                    tenantId: tenant.id,
                    name: "Monday board",
                    kind: .api,
                    destinationIds: []
                )
                try await store.assign(updated, toSource: source.id, tenantId: tenant.id, actor: "test")
                let assigned = try await client.query("SELECT sequence_id FROM sources WHERE id = \(source.id)").decode(UUID?.self).rows()
                #expect(assigned == [created.id])
                var audited: [String] = []
                for try await action in try await client.query(
                    "SELECT action FROM audit_log WHERE tenant_id = \(tenant.id) AND action LIKE 'sequence.%' OR action = 'source.sequence' ORDER BY id"
                ).decode(String.self) {
                    audited.append(action)
                }
                #expect(audited == ["sequence.create", "sequence.update", "sequence.update", "source.sequence"])
            }
        }
    }
}
