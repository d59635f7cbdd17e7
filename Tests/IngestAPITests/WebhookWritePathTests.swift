import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Shared
import TestSupport
import Testing

/// The webhook write path records the event, its leads and their deliveries in one call of
/// `record_webhook_event`; these pin down what it settles: mixed outcomes, the event's
/// `lead_ids`, and a re-delivery that races the original.
@Suite("Webhook write path")
struct WebhookWritePathTests {
    static func leadIds(ofEvent id: Int, _ stores: DataStores) async throws -> [Int] {
        let rows = try await stores.postgres.query("SELECT lead_ids FROM inbound_events WHERE id = \(Int64(id))", logger: TestEnvironment.logger)
        for try await ids in rows.decode([Int64].self) { return ids.map { Int($0) } }
        return []
    }

    @Test func aBatchWithANewAKnownARepeatedAndAnUnusableItemSettlesEachAndListsTheLeadsInOrder() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let source = try await WebhooksTests.webhookSource(stores, tenant, preset: .zapier)
            let known = try await WebhooksTests.post(client, source, body: Array(#"{"email": "known@example.com"}"#.utf8))
            let knownId = try #require((known.json["lead_ids"] as? [Int])?.first)
            let body = #"[{"email": "new@example.com"}, {"email": "known@example.com"}, {"first_name": "Nobody"}, {"email": "new@example.com"}]"#
            let response = try await WebhooksTests.post(client, source, body: Array(body.utf8))
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            #expect(response.json["status"] as? String == "accepted")
            #expect(response.json["accepted"] as? Int == 1)
            #expect(response.json["duplicates"] as? Int == 2)
            #expect(response.json["rejected"] as? Int == 1)
            #expect((response.json["reason"] as? String)?.hasPrefix("item 2: email:") == true, "\(response.json)")
            let ids = try #require(response.json["lead_ids"] as? [Int])
            #expect(ids.count == 3 && ids[1] == knownId && ids[0] == ids[2] && ids[0] != knownId, "\(ids)")
            let eventId = try #require(response.json["event_id"] as? Int)
            #expect(try await Self.leadIds(ofEvent: eventId, stores) == ids, "the stored event lists the same leads in the same order")
            #expect(try await stores.count("SELECT count(*)::int FROM leads WHERE inbound_event_id = \(Int64(eventId))") == 1)
            #expect(try await stores.count("SELECT count(*)::int FROM deliveries WHERE lead_id = \(Int64(ids[0]))") == 2)
            #expect(try await stores.count("SELECT count(*)::int FROM inbound_events WHERE id = \(Int64(eventId)) AND reason LIKE 'item 2: %'") == 1)
        }
    }

    @Test(arguments: [
        (#"[{"email": "known@example.com"}]"#, "duplicate", 200),
        (#"[{"first_name": "Nobody"}]"#, "rejected", 422),
        (#"[]"#, "rejected", 422),
    ])
    func anEventWithoutNewLeadsIsSettledAndStoresNoDeliveries(body: String, outcome: String, status: Int) async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let source = try await WebhooksTests.webhookSource(stores, tenant, preset: .zapier)
            _ = try await WebhooksTests.post(client, source, body: Array(#"{"email": "known@example.com"}"#.utf8))
            let deliveries = try await stores.count("SELECT count(*)::int FROM deliveries")
            let response = try await WebhooksTests.post(client, source, body: Array(body.utf8))
            #expect(response.status.code == status, "\(String(buffer: response.body))")
            #expect(try await WebhooksTests.outcomes(stores) == ["accepted", outcome])
            #expect(try await stores.count("SELECT count(*)::int FROM deliveries") == deliveries)
            #expect(try await stores.count("SELECT count(*)::int FROM inbound_events WHERE outcome = 'rejected' AND reason IS NULL") == 0)
        }
    }

    @Test func aRedeliveryRacingTheOriginalIsAnsweredAsADuplicateAndStoresNothing() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            var secrets = SourceSecrets()
            secrets.signingSecret = try WebhooksTests.text("shopmonkey.secret")
            let source = try await WebhooksTests.webhookSource(stores, tenant, preset: .shopmonkey, secrets: secrets)
            // The re-sent body differs from the original (another email), so the racing request has a
            // lead of its own to insert: only the event's external id ties it to the original.
            let body = Array(
                String(decoding: try WebhooksTests.fixture("shopmonkey_customer_insert.json"), as: UTF8.self)
                    .replacingOccurrences(of: "tal@example.com", with: "tal.resent@example.com").utf8
            )
            let timestamp = String(Int(Date().timeIntervalSince1970))
            let headers: HTTPFields = [
                HTTPField.Name("webhook-id")!: "msg_race", HTTPField.Name("webhook-timestamp")!: timestamp,
                HTTPField.Name("webhook-signature")!: WebhookSignatures.standardWebhookSignature(
                    id: "msg_race",
                    timestamp: timestamp,
                    body: body,
                    secret: secrets.signingSecret ?? ""
                ),
            ]
            let original = InboundEventStore.NewEvent(
                tenantId: tenant.tenant.id,
                sourceId: source.id,
                method: "POST",
                contentType: "application/json",
                headers: [:],
                body: [],
                outcome: "accepted",
                externalEventId: "msg_race"
            )
            try await stores.postgres.withConnection { connection in
                // The original's transaction has taken the event but not committed yet.
                try await connection.query("BEGIN", logger: TestEnvironment.logger)
                let held = try await InboundEventStore(client: stores.postgres, logger: TestEnvironment.logger).insert(original, on: connection)
                #expect(held != nil)
                try await withThrowingTaskGroup(of: TestResponse.self) { group in
                    group.addTask { try await WebhooksTests.post(client, source, body: body, headers: headers) }
                    // The re-delivery cannot see the uncommitted event, inserts its lead, and waits on the event's key.
                    var waiting = 0
                    for _ in 0..<500 where waiting == 0 {
                        waiting = try await stores.count(
                            """
                            SELECT count(*)::int FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
                            """
                        )
                        if waiting == 0 { try await Task.sleep(for: .milliseconds(20)) }
                    }
                    #expect(waiting == 1, "the re-delivery should be waiting for the original's transaction")
                    try await connection.query("COMMIT", logger: TestEnvironment.logger)
                    let raced = try #require(try await group.next())
                    #expect(raced.status == .ok, "\(String(buffer: raced.body))")
                    #expect(raced.json["status"] as? String == "duplicate")
                }
            }
            #expect(try await WebhooksTests.outcomes(stores) == ["accepted", "duplicate"])
            #expect(
                try await stores.count("SELECT count(*)::int FROM leads WHERE source_id = \(source.id)") == 0,
                "the re-delivery's lead is not kept"
            )
            #expect(try await stores.count("SELECT count(*)::int FROM deliveries") == 0)
        }
    }
}
