import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Shared
import TestSupport
import Testing

@Suite("Webhooks")
struct WebhooksTests {
    static func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: TestEnvironment.fixtures.appendingPathComponent("webhooks/\(name)")))
    }

    static func text(_ name: String) throws -> String {
        String(decoding: try fixture(name), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func webhookSource(
        _ stores: DataStores,
        _ tenant: IngestAPITestHarness.SeededTenant,
        preset: WebhookPreset,
        secrets: SourceSecrets = SourceSecrets(),
        fieldMap: [String: String] = [:]
    ) async throws -> Source {
        let box = try SecretBox(currentKey: TestEnvironment.secretKey)
        return try await SourceStore(client: stores.postgres, logger: TestEnvironment.logger).create(
            tenantId: tenant.tenant.id,
            name: "hook-\(preset.rawValue)-\(UUID().uuidString.prefix(4))",
            kind: .webhook,
            preset: preset,
            fieldMap: fieldMap,
            sealedSecrets: secrets == SourceSecrets() ? nil : try secrets.sealed(with: box),
            destinationIds: tenant.destinations.map(\.id)
        )
    }

    static func post(
        _ client: some TestClientProtocol,
        _ source: Source,
        body: [UInt8],
        contentType: String = "application/json",
        headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: contentType]
        headers.append(contentsOf: extra)
        return try await client.execute(uri: "/hooks/\(source.token)", method: .post, headers: headers, body: ByteBuffer(bytes: body))
    }

    static func outcomes(_ stores: DataStores) async throws -> [String] {
        var outcomes: [String] = []
        for try await outcome in try await stores.postgres.query("SELECT outcome FROM inbound_events ORDER BY id", logger: TestEnvironment.logger)
            .decode(String.self)
        { outcomes.append(outcome) }
        return outcomes
    }

    @Test(arguments: [
        ("zapier.json", "application/json", 1), ("zapier_array.json", "application/json", 2),
        ("zapier_form.txt", "application/x-www-form-urlencoded", 1),
    ])
    func zapierBodiesBecomeLeadsWithDeliveriesAndARecordedEvent(file: String, contentType: String, leads: Int) async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let source = try await Self.webhookSource(stores, tenant, preset: .zapier)
            let response = try await Self.post(client, source, body: try Self.fixture(file), contentType: contentType)
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            #expect(response.json["status"] as? String == "accepted")
            #expect(response.json["accepted"] as? Int == leads)
            #expect(
                try await stores.count(
                    "SELECT count(*)::int FROM leads WHERE channel = 'webhook' AND email LIKE '%.zap@example.com' AND inbound_event_id IS NOT NULL"
                ) == leads
            )
            #expect(
                try await stores.count("SELECT count(*)::int FROM leads WHERE extra->>'ad_name' = 'Spring Promo'") == leads,
                "unknown keys are kept"
            )
            #expect(try await stores.count("SELECT count(*)::int FROM deliveries") == leads * 2)
            #expect(try await stores.count("SELECT cardinality(lead_ids) FROM inbound_events WHERE outcome = 'accepted'") == leads)
            let again = try await Self.post(client, source, body: try Self.fixture(file), contentType: contentType)
            #expect(again.json["status"] as? String == "duplicate")
            #expect(try await Self.outcomes(stores) == ["accepted", "duplicate"])
        }
    }

    @Test func aSignedGenericSourceRefusesForgedAndUnsignedRequestsAndRecordsThem() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            var secrets = SourceSecrets()
            secrets.signingSecret = "hook-secret"
            let source = try await Self.webhookSource(stores, tenant, preset: .generic, secrets: secrets)
            let body = Array(#"{"email": "signed@example.com"}"#.utf8)
            let signature = HTTPField.Name("X-LeadRelay-Signature")!
            let good = try await Self.post(
                client,
                source,
                body: body,
                headers: [signature: WebhookSignatures.hexSignature(body: body, secret: "hook-secret")]
            )
            #expect(good.status == .ok)
            let forged = try await Self.post(
                client,
                source,
                body: body,
                headers: [signature: WebhookSignatures.hexSignature(body: body, secret: "wrong")]
            )
            #expect(forged.status == .unauthorized)
            let unsigned = try await Self.post(client, source, body: body)
            #expect(unsigned.status == .unauthorized)
            #expect(try await Self.outcomes(stores) == ["accepted", "bad_signature", "bad_signature"])
            #expect(try await stores.count("SELECT count(*)::int FROM leads") == 1)
        }
    }

    @Test(arguments: [
        ("", 400, "rejected"), (#"{"email": "#, 400, "rejected"), ("42", 422, "rejected"), (#"{"name": "No Contact"}"#, 422, "rejected"),
    ])
    func badBodiesAreAnsweredClearlyAndKeptForReplay(body: String, status: Int, outcome: String) async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let source = try await Self.webhookSource(stores, tenant, preset: .generic)
            let response = try await Self.post(client, source, body: Array(body.utf8))
            #expect(response.status.code == status, "\(String(buffer: response.body))")
            #expect(try await Self.outcomes(stores) == [outcome])
            #expect(try await stores.count("SELECT body_size FROM inbound_events") == body.utf8.count, "the body is kept as received")
        }
    }

    @Test func anOversizedBodyIs413WithARecordedStub() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let source = try await Self.webhookSource(stores, tenant, preset: .generic)
            let body = Array(repeating: UInt8(ascii: "a"), count: 1024 * 1024 + 10)
            let response = try await Self.post(client, source, body: body)
            #expect(response.status == .contentTooLarge)
            #expect(try await Self.outcomes(stores) == ["too_large"])
            #expect(try await stores.count("SELECT body_size FROM inbound_events WHERE body_truncated AND length(body) = 4096") == body.count)
        }
    }

    @Test func anUnknownTokenIs404() async throws {
        try await IngestAPITestHarness.run { client, _, _, _ in
            let response = try await client.execute(
                uri: "/hooks/nonexistentnonexistent00",
                method: .post,
                headers: [.contentType: "application/json"],
                body: ByteBuffer(string: "{}")
            )
            #expect(response.status == .notFound)
        }
    }

    @Test func metaVerificationEchoesTheChallengeOnlyForTheRightToken() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            var secrets = SourceSecrets()
            secrets.verifyToken = "verify-me"
            let source = try await Self.webhookSource(stores, tenant, preset: .facebook, secrets: secrets)
            let ok = try await client.execute(
                uri: "/hooks/\(source.token)?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=verify-me",
                method: .get
            )
            #expect(ok.status == .ok)
            #expect(String(buffer: ok.body) == "1158201444")
            let wrong = try await client.execute(uri: "/hooks/\(source.token)?hub.mode=subscribe&hub.challenge=1&hub.verify_token=nope", method: .get)
            #expect(wrong.status == .forbidden)
            #expect(try await Self.outcomes(stores) == ["verification", "bad_signature"])
        }
    }

    @Test func metaNotificationsAreVerifiedAndQueuedForFetching() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            var secrets = SourceSecrets()
            secrets.appSecret = try Self.text("facebook_leadgen.secret")
            secrets.pageToken = "page-token"
            let source = try await Self.webhookSource(stores, tenant, preset: .facebook, secrets: secrets)
            let body = try Self.fixture("facebook_leadgen.json")
            let header = HTTPField.Name("X-Hub-Signature-256")!
            let good = try await Self.post(client, source, body: body, headers: [header: try Self.text("facebook_leadgen.sig")])
            #expect(good.status == .ok)
            #expect(good.json["status"] as? String == "queued")
            var forgedBody = body
            forgedBody[forgedBody.count / 2] ^= 0x01
            let forged = try await Self.post(client, source, body: forgedBody, headers: [header: try Self.text("facebook_leadgen.sig")])
            #expect(forged.status == .unauthorized)
            let missing = try await Self.post(client, source, body: body)
            #expect(missing.status == .unauthorized)
            // A 1,000-entry batch is taken in one request.
            let changes = (0..<1_000).map {
                #"{"field":"leadgen","value":{"leadgen_id":"9\#($0)","page_id":"1","form_id":"2","created_time":1767225599}}"#
            }
            let batch = Array(#"{"object":"page","entry":[{"id":"1","time":1767225600,"changes":[\#(changes.joined(separator: ","))]}]}"#.utf8)
            let big = try await Self.post(
                client,
                source,
                body: batch,
                headers: [header: WebhookSignatures.hexSignature(body: batch, secret: secrets.appSecret ?? "")]
            )
            #expect(big.status == .ok)
            #expect((big.json["reason"] as? String)?.hasPrefix("1000 Meta leads") == true)
            #expect(try await Self.outcomes(stores) == ["pending_fetch", "bad_signature", "bad_signature", "pending_fetch"])
            #expect(
                try await stores.count("SELECT count(*)::int FROM inbound_events WHERE outcome = 'pending_fetch' AND next_fetch_at IS NOT NULL") == 2
            )
        }
    }

    @Test func mondayChallengeIsEchoedAndAPulseWithoutContactIsKeptForReplay() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let source = try await Self.webhookSource(stores, tenant, preset: .monday)
            let challenge = try await Self.post(client, source, body: try Self.fixture("monday_challenge.json"))
            #expect(challenge.status == .ok)
            #expect(challenge.json["challenge"] as? String == "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P")
            let pulse = try await Self.post(client, source, body: try Self.fixture("monday_create_pulse.json"))
            #expect(pulse.status == .unprocessableContent, "a name alone cannot reach anyone: configure an API token to fetch the item")
            #expect(try await Self.outcomes(stores) == ["verification", "rejected"])
        }
    }

    @Test func aMondayPulseKeptWithoutAFetchCarriesItsItemIdForStatusWriteBack() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let source = try await Self.webhookSource(stores, tenant, preset: .monday)
            var text = String(decoding: try Self.fixture("monday_create_pulse.json"), as: UTF8.self)
            text = text.replacingOccurrences(
                of: #""columnValues": {}"#,
                with: #""columnValues": {"email": {"email": "moshe@example.co.il", "text": "moshe@example.co.il"}}"#
            )
            let pulse = try await Self.post(client, source, body: Array(text.utf8))
            #expect(pulse.status == .ok || pulse.status == .accepted, "\(pulse.status)")
            var ids: [String?] = []
            for try await id in try await stores.postgres.query("SELECT external_id FROM leads").decode(String?.self) { ids.append(id) }
            #expect(ids == ["monday:222"], "the same id the fetched path records")
        }
    }

    @Test func shopmonkeyIsVerifiedDedupedOnWebhookIdAndRejectsStaleTimestamps() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            var secrets = SourceSecrets()
            secrets.signingSecret = try Self.text("shopmonkey.secret")
            let source = try await Self.webhookSource(stores, tenant, preset: .shopmonkey, secrets: secrets)
            let body = try Self.fixture("shopmonkey_customer_insert.json")
            func headers(id: String, timestamp: String, secret: String) -> HTTPFields {
                [
                    HTTPField.Name("webhook-id")!: id, HTTPField.Name("webhook-timestamp")!: timestamp,
                    HTTPField.Name("webhook-signature")!: WebhookSignatures.standardWebhookSignature(
                        id: id,
                        timestamp: timestamp,
                        body: body,
                        secret: secret
                    ),
                ]
            }
            let now = String(Int(Date().timeIntervalSince1970))
            let fresh = try await Self.post(
                client,
                source,
                body: body,
                headers: headers(id: "msg_1", timestamp: now, secret: secrets.signingSecret ?? "")
            )
            #expect(fresh.status == .ok, "\(String(buffer: fresh.body))")
            #expect(fresh.json["status"] as? String == "accepted")
            let again = try await Self.post(
                client,
                source,
                body: body,
                headers: headers(id: "msg_1", timestamp: now, secret: secrets.signingSecret ?? "")
            )
            #expect(again.status == .ok)
            #expect(again.json["status"] as? String == "duplicate")
            // The fixture as captured: valid signature, timestamp far outside ±5 minutes.
            var stale: HTTPFields = [:]
            for line in try Self.text("shopmonkey_customer_insert.headers").split(separator: "\n") {
                let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.count == 2, let name = HTTPField.Name(parts[0]) { stale[name] = parts[1] }
            }
            let old = try await Self.post(client, source, body: body, headers: stale)
            #expect(old.status == .unauthorized)
            let forged = try await Self.post(
                client,
                source,
                body: body,
                headers: headers(id: "msg_2", timestamp: now, secret: "whsec_" + Data("wrong".utf8).base64EncodedString())
            )
            #expect(forged.status == .unauthorized)
            #expect(try await Self.outcomes(stores) == ["accepted", "duplicate", "bad_signature", "bad_signature"])
            #expect(try await stores.count("SELECT count(*)::int FROM leads WHERE email = 'tal@example.com' AND phone = '+12015550188'") == 1)
        }
    }

    @Test func aRejectedEventCanBeReplayedAfterTheFieldMapIsFixed() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let source = try await Self.webhookSource(stores, tenant, preset: .zapier)
            let response = try await Self.post(client, source, body: Array(#"{"Correo electronico": "rosa@example.com"}"#.utf8))
            #expect(response.status == .unprocessableContent)
            let eventId = try #require(response.json["event_id"] as? Int)
            var fixed = source
            fixed.fieldMap = ["Correo electronico": "email"]
            fixed = try await SourceStore(client: stores.postgres, logger: TestEnvironment.logger).update(fixed)
            let event = try await InboundEventStore(client: stores.postgres, logger: TestEnvironment.logger).find(Int64(eventId))
            let answer = try await WebhookIngestor(postgres: stores.postgres, logger: TestEnvironment.logger).handle(
                WebhookRequest(method: event.method, headers: event.headers, contentType: event.contentType, body: event.body),
                source: fixed,
                region: "US",
                secrets: SourceSecrets(),
                replayOf: event.id,
                now: event.receivedAt
            )
            #expect(answer.status == 200)
            #expect(answer.deliveryIds.count == 2)
            #expect(try await Self.outcomes(stores) == ["rejected", "accepted"])
            #expect(try await stores.count("SELECT count(*)::int FROM inbound_events WHERE replay_of = \(Int64(eventId))") == 1)
        }
    }
}
