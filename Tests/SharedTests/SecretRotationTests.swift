import Foundation
import PostgresNIO
import Shared
import TestSupport
import Testing

@Suite("Secret key rotation")
struct SecretRotationTests {
    /// Seeds a tenant with `destinations` destination credentials and `sources` source secret blobs,
    /// all sealed with `box`, plus one destination and one source without secrets.
    func seed(
        client: PostgresClient,
        box: SecretBox,
        destinations: Int,
        sources: Int
    ) async throws
        -> (destinations: [UUID: String], sources: [UUID: SourceSecrets])
    {
        let logger = TestEnvironment.logger
        let tenant = try await TenantStore(client: client, logger: logger).create(name: "Rotation \(UUID().uuidString.prefix(8))")
        let destinationStore = DestinationStore(client: client, logger: logger)
        let sourceStore = SourceStore(client: client, logger: logger)
        var destinationSecrets: [UUID: String] = [:]
        for index in 0..<destinations {
            let secret = "token-\(index)-\(UUID().uuidString)"
            let destination = Destination.withDefaults(tenantId: tenant.id, name: "D\(index)", kind: .http, config: [:])
            let created = try await destinationStore.create(destination, sealedSecret: try box.seal(secret))
            destinationSecrets[created.id] = secret
        }
        _ = try await destinationStore.create(
            Destination.withDefaults(tenantId: tenant.id, name: "No secret", kind: .http, config: [:]),
            sealedSecret: nil
        )
        var sourceSecrets: [UUID: SourceSecrets] = [:]
        for index in 0..<sources {
            var secrets = SourceSecrets()
            try secrets.set("signing_secret", "whsec_\(index)")
            try secrets.set("api_token", "api-\(index)")
            let created = try await sourceStore.create(
                tenantId: tenant.id,
                name: "S\(index)",
                kind: .webhook,
                preset: .generic,
                sealedSecrets: try secrets.sealed(with: box)
            )
            sourceSecrets[created.id] = secrets
        }
        _ = try await sourceStore.create(tenantId: tenant.id, name: "No secrets", kind: .api)
        return (destinationSecrets, sourceSecrets)
    }

    /// Every stored sealed value, by table and id.
    func storedValues(client: PostgresClient) async throws -> [String: [UInt8]] {
        var values: [String: [UInt8]] = [:]
        for try await (id, sealed) in try await client.query(
            "SELECT id, secret_ciphertext FROM destinations WHERE secret_ciphertext IS NOT NULL"
        ).decode((UUID, ByteBuffer).self) {
            values["destination \(id)"] = Array(sealed.readableBytesView)
        }
        for try await (id, sealed) in try await client.query(
            "SELECT id, secrets_ciphertext FROM sources WHERE secrets_ciphertext IS NOT NULL"
        ).decode((UUID, ByteBuffer).self) {
            values["source \(id)"] = Array(sealed.readableBytesView)
        }
        return values
    }

    @Test func resealsWithTheNewKeySoItAloneReadsThemAndASecondRunChangesNothing() async throws {
        let oldKey = SecretBox.generateKey()
        let newKey = SecretBox.generateKey()
        let oldBox = try SecretBox(currentKey: oldKey)
        let rotating = try SecretBox(currentKey: newKey, previousKey: oldKey)
        let newOnly = try SecretBox(currentKey: newKey)
        try await TestDatabase.withDatabase { database in
            try await database.withClient { client in
                let logger = TestEnvironment.logger
                let seeded = try await seed(client: client, box: oldBox, destinations: 5, sources: 3)
                let before = try await storedValues(client: client)
                // A batch size of 2 makes every table take several batches (and one partial batch).
                let rotation = SecretRotation(client: client, box: rotating, logger: logger, batchSize: 2)

                let dryRun = try await rotation.run(dryRun: true)
                #expect(dryRun.dryRun)
                #expect(dryRun.destinations == SecretRotation.Outcome(scanned: 5, resealed: 5))
                #expect(dryRun.sources == SecretRotation.Outcome(scanned: 3, resealed: 3))
                #expect(try await storedValues(client: client) == before, "a dry run writes nothing")

                let first = try await rotation.run()
                #expect(!first.dryRun)
                #expect(first.isComplete)
                #expect(first.destinations == SecretRotation.Outcome(scanned: 5, resealed: 5))
                #expect(first.sources == SecretRotation.Outcome(scanned: 3, resealed: 3))

                let destinations = DestinationStore(client: client, logger: logger)
                for (id, secret) in seeded.destinations {
                    let sealed = try #require(try await destinations.sealedSecret(destinationId: id))
                    #expect(newOnly.isSealedWithCurrentKey(sealed))
                    #expect(try newOnly.open(sealed) == secret, "readable with the new key alone")
                    #expect(throws: SecretBox.OpenError.self) { try oldBox.open(sealed) }
                }
                let sources = SourceStore(client: client, logger: logger)
                for (id, secrets) in seeded.sources {
                    let sealed = try #require(try await sources.sealedSecrets(sourceId: id))
                    #expect(try SourceSecrets.open(sealed, with: newOnly) == secrets, "readable with the new key alone")
                }

                let afterFirst = try await storedValues(client: client)
                #expect(afterFirst.count == before.count)
                #expect(afterFirst.allSatisfy { key, value in before[key] != value }, "every value was re-sealed")

                let second = try await rotation.run()
                #expect(second.destinations == SecretRotation.Outcome(scanned: 5, alreadyCurrent: 5))
                #expect(second.sources == SecretRotation.Outcome(scanned: 3, alreadyCurrent: 3))
                #expect(try await storedValues(client: client) == afterFirst, "a second run changes nothing")
            }
        }
    }

    @Test func leavesValuesNeitherKeyOpensUntouchedAndReportsThem() async throws {
        let oldKey = SecretBox.generateKey()
        let newKey = SecretBox.generateKey()
        let strangerBox = try SecretBox(currentKey: SecretBox.generateKey())
        try await TestDatabase.withDatabase { database in
            try await database.withClient { client in
                let logger = TestEnvironment.logger
                let readable = try await seed(client: client, box: try SecretBox(currentKey: oldKey), destinations: 2, sources: 1)
                let stranger = try await seed(client: client, box: strangerBox, destinations: 1, sources: 1)
                let before = try await storedValues(client: client)

                let report = try await SecretRotation(
                    client: client,
                    box: try SecretBox(currentKey: newKey, previousKey: oldKey),
                    logger: logger
                ).run()
                #expect(!report.isComplete)
                #expect(
                    report.destinations
                        == SecretRotation.Outcome(
                            scanned: 3,
                            resealed: 2,
                            unreadable: Array(stranger.destinations.keys)
                        )
                )
                #expect(report.sources == SecretRotation.Outcome(scanned: 2, resealed: 1, unreadable: Array(stranger.sources.keys)))

                let after = try await storedValues(client: client)
                for id in stranger.destinations.keys {
                    #expect(after["destination \(id)"] == before["destination \(id)"], "an unreadable value is left as it was")
                }
                for id in readable.destinations.keys {
                    #expect(after["destination \(id)"] != before["destination \(id)"])
                }
            }
        }
    }
}
