import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PostgresNIO
import TestSupport
import Testing

@testable import IngestAPIApp
@testable import Shared

/// Webhook sources are kept in memory, but a change to a source (or to its tenant's region) takes
/// effect on the very next request: each request below follows one that put the source in the cache.
@Suite("Webhook source cache")
struct WebhookSourceCacheTests {
    static func post(_ client: some TestClientProtocol, _ source: Source, _ body: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await WebhooksTests.post(client, source, body: Array(body.utf8), headers: headers)
    }

    static func warm(_ client: some TestClientProtocol, _ source: Source) async throws {
        let first = try await post(client, source, #"{"email": "first-\#(UUID().uuidString.prefix(8))@example.com"}"#)
        #expect(first.status == .ok, "\(String(buffer: first.body))")
    }

    @Test func aDisabledSourceIs404OnTheNextRequest() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            var source = try await WebhooksTests.webhookSource(stores, tenant, preset: .zapier)
            try await Self.warm(client, source)
            source.enabled = false
            source = try await SourceStore(client: stores.postgres, logger: TestEnvironment.logger).update(source)
            let response = try await Self.post(client, source, #"{"email": "late@example.com"}"#)
            #expect(response.status == .notFound)
            #expect(try await stores.count("SELECT count(*)::int FROM leads WHERE email = 'late@example.com'") == 0)
        }
    }

    @Test func aChangedFieldMapAppliesToTheNextRequest() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            var source = try await WebhooksTests.webhookSource(stores, tenant, preset: .zapier)
            try await Self.warm(client, source)
            source.fieldMap = ["Correo": "email"]
            source = try await SourceStore(client: stores.postgres, logger: TestEnvironment.logger).update(source)
            let response = try await Self.post(client, source, #"{"Correo": "mapped@example.com"}"#)
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            #expect(try await stores.count("SELECT count(*)::int FROM leads WHERE email = 'mapped@example.com'") == 1)
            #expect(try await WebhooksTests.outcomes(stores) == ["accepted", "accepted"], "the stale attempt recorded nothing")
        }
    }

    @Test func aNewSigningSecretIsRequiredOnTheNextRequest() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let source = try await WebhooksTests.webhookSource(stores, tenant, preset: .generic)
            try await Self.warm(client, source)
            var secrets = SourceSecrets()
            secrets.signingSecret = "new-secret"
            let box = try SecretBox(currentKey: TestEnvironment.secretKey)
            _ = try await SourceStore(client: stores.postgres, logger: TestEnvironment.logger).update(
                source,
                sealedSecrets: try secrets.sealed(with: box)
            )
            let unsigned = try await Self.post(client, source, #"{"email": "unsigned@example.com"}"#)
            #expect(unsigned.status == .unauthorized, "the cached copy had no secret; the current one requires a signature")
            let body = #"{"email": "signed@example.com"}"#
            let signature = WebhookSignatures.hexSignature(body: Array(body.utf8), secret: "new-secret")
            let signed = try await Self.post(client, source, body, headers: [HTTPField.Name("X-LeadRelay-Signature")!: signature])
            #expect(signed.status == .ok, "\(String(buffer: signed.body))")
            #expect(try await WebhooksTests.outcomes(stores) == ["accepted", "bad_signature", "accepted"])
            #expect(try await stores.count("SELECT count(*)::int FROM leads WHERE email = 'unsigned@example.com'") == 0)
        }
    }

    @Test func aChangedTenantRegionAppliesToTheNextRequest() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let source = try await WebhooksTests.webhookSource(stores, tenant, preset: .zapier)
            try await Self.warm(client, source)
            var changed = tenant.tenant
            changed.defaultRegion = "GB"
            _ = try await TenantStore(client: stores.postgres, logger: TestEnvironment.logger).update(changed)
            let response = try await Self.post(client, source, #"{"email": "london@example.com", "phone": "020 7946 0018"}"#)
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            #expect(try await stores.count("SELECT count(*)::int FROM leads WHERE email = 'london@example.com' AND phone = '+442079460018'") == 1)
        }
    }

    @Test func copiesExpireAndTheCacheStaysWithinItsCapacity() throws {
        let cache = PublicSourceCache(lifetime: .seconds(60), capacity: 3)
        let start = ContinuousClock.now
        func found(_ name: String) -> PublicSource {
            PublicSource(
                source: Source(
                    id: UUID(),
                    tenantId: UUID(),
                    name: name,
                    kind: .webhook,
                    preset: .zapier,
                    token: name,
                    config: [:],
                    fieldMap: [:],
                    hasSecrets: false,
                    notificationEmail: nil,
                    enabled: true,
                    destinationIds: [],
                    createdAt: Date()
                ),
                tenantRegion: "US",
                sealedSecrets: nil,
                revision: 1
            )
        }
        cache.store(found("a"), secrets: SourceSecrets(), for: "a", now: start)
        #expect(cache.entry(for: "a", now: start + .seconds(59))?.found.source.name == "a")
        #expect(cache.entry(for: "a", now: start + .seconds(61)) == nil, "expired")
        #expect(cache.count == 0, "an expired copy is dropped when found")
        for name in ["b", "c", "d"] { cache.store(found(name), secrets: SourceSecrets(), for: name, now: start) }
        cache.store(found("e"), secrets: SourceSecrets(), for: "e", now: start + .seconds(1))
        #expect(cache.count <= 3)
        #expect(cache.entry(for: "e", now: start + .seconds(1)) != nil, "the newest copy is kept")
        for name in ["g", "h"] { cache.store(found(name), secrets: SourceSecrets(), for: name, now: start + .seconds(90)) }
        #expect(cache.count == 3)
        cache.store(found("f"), secrets: SourceSecrets(), for: "f", now: start + .seconds(120))
        #expect(cache.count == 3, "a full cache drops its expired copies (e) first")
        #expect(cache.entry(for: "g", now: start + .seconds(120)) != nil)
    }
}
