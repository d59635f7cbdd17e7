import Foundation
import PostgresNIO
import Shared
import TestSupport
import Testing
import WorkerApp

/// Ids sent as JSON numbers of 15 to 19 digits, through every webhook preset: stored in
/// PostgreSQL, fetched from the provider and forwarded to a destination with exactly the digits
/// received (issue 21, item 2). Before, numbers were doubles: a 16-digit Meta `leadgen_id` was
/// fetched as `GET /1231231231231234.0`, and above 2^53 the digits changed.
@Suite("Webhook large numeric ids")
struct WebhookLargeIdTests {
    static let ids = ["123456789012345", "1231231231231234", "12312312312312345", "1231231231231231234"]

    /// A webhook source of `preset` fanning out to an `http` destination at `crm`.
    static func source(
        _ harness: WorkerTestHarness,
        preset: WebhookPreset,
        crm: CRMStandIn,
        config: [String: JSONValue] = [:],
        secrets: SourceSecrets = SourceSecrets()
    ) async throws -> Source {
        let (destination, _) = try await harness.destination(.http, baseURL: nil, config: ["url": .string(crm.baseURL + "/leads")])
        return try await SourceStore(client: harness.stores.postgres, logger: harness.logger).create(
            tenantId: harness.tenant.id,
            name: "hook-\(UUID().uuidString.prefix(6))",
            kind: .webhook,
            preset: preset,
            config: config,
            sealedSecrets: try secrets.sealed(with: harness.configuration.secretBox),
            destinationIds: [destination.id]
        )
    }

    static func receive(
        _ harness: WorkerTestHarness,
        _ source: Source,
        body: String,
        secrets: SourceSecrets = SourceSecrets()
    ) async throws -> WebhookIngestor.Answer {
        try await WebhookIngestor(postgres: harness.stores.postgres, logger: harness.logger).handle(
            WebhookRequest(method: "POST", headers: [:], contentType: "application/json", body: Array(body.utf8)),
            source: source,
            region: "US",
            secrets: secrets
        )
    }

    /// The single text a query returns ("" when none).
    static func text(_ harness: WorkerTestHarness, _ query: PostgresQuery) async throws -> String {
        var result = ""
        for try await value in try await harness.stores.postgres.query(query, logger: harness.logger).decode(String.self) { result = value }
        return result
    }

    /// Runs workers until `crm` has received `count` deliveries; returns their bodies.
    static func deliveredBodies(_ harness: WorkerTestHarness, _ crm: CRMStandIn, count: Int) async throws -> [String] {
        try await harness.withWorkers { _ in
            for _ in 0..<200 where crm.requests.filter({ $0.path == "/leads" }).count < count {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        return crm.requests.filter { $0.path == "/leads" }.map(\.bodyText)
    }

    @Test("generic and Zapier: numeric ids in extra are stored and forwarded digit for digit", arguments: [WebhookPreset.generic, .zapier], ids)
    func genericExtraKeepsDigits(preset: WebhookPreset, id: String) async throws {
        try await CRMStandIn.withRunning { crm in
            try await WorkerTestHarness.run { harness in
                let source = try await Self.source(harness, preset: preset, crm: crm)
                let body = #"{"email":"big-\#(id)@example.com","crm_id":\#(id),"nested":{"ids":[\#(id)]}}"#
                let answer = try await Self.receive(harness, source, body: body)
                #expect(answer.status == 200, "\(String(decoding: answer.body, as: UTF8.self))")
                #expect(try await Self.text(harness, "SELECT extra->>'crm_id' FROM leads") == id)
                #expect(try await Self.text(harness, "SELECT extra->'nested'->'ids'->>0 FROM leads") == id)
                #expect(try await Self.text(harness, "SELECT raw->>'crm_id' FROM leads") == id)
                let bodies = try await Self.deliveredBodies(harness, crm, count: 1)
                #expect(bodies.count == 1)
                #expect(bodies.first?.contains(#""crm_id":\#(id),"#) == true, "\(bodies)")
                #expect(bodies.first?.contains(#""ids":[\#(id)]"#) == true, "\(bodies)")
            }
        }
    }

    @Test("Meta: a numeric leadgen_id is fetched from the Graph API by its exact digits", arguments: ids)
    func metaLeadgenIdKeepsDigits(id: String) async throws {
        try await CRMStandIn.withRunning { crm in
            let lead =
                #"{"id":"\#(id)","created_time":"2026-01-01T00:00:00+0000","form_id":5555,"ad_id":\#(id),"#
                + #""field_data":[{"name":"email","values":["meta-\#(id)@example.com"]}]}"#
            crm.enqueue(.json(200, lead))
            try await WorkerTestHarness.run { harness in
                var secrets = SourceSecrets()
                secrets.pageToken = "page-token"
                let source = try await Self.source(
                    harness,
                    preset: .facebook,
                    crm: crm,
                    config: ["graph_base_url": .string(crm.baseURL + "/v21.0")],
                    secrets: secrets
                )
                let notification =
                    #"{"object":"page","entry":[{"id":1111,"time":1767225600,"changes":[{"field":"leadgen","#
                    + #""value":{"leadgen_id":\#(id),"page_id":1111,"form_id":5555,"created_time":1767225599}}]}]}"#
                let answer = try await Self.receive(harness, source, body: notification)
                #expect(answer.status == 200, "\(String(decoding: answer.body, as: UTF8.self))")
                let bodies = try await Self.deliveredBodies(harness, crm, count: 1)
                #expect(crm.requests.first?.path == "/v21.0/\(id)")
                #expect(try await Self.text(harness, "SELECT external_id FROM leads") == id)
                #expect(try await Self.text(harness, "SELECT extra->>'ad_id' FROM leads") == id)
                #expect(bodies.first?.contains(#""ad_id":\#(id)"#) == true, "\(bodies)")
            }
        }
    }

    @Test("monday: a numeric pulseId is queried by GraphQL and kept as the external id", arguments: ids)
    func mondayPulseIdKeepsDigits(id: String) async throws {
        try await CRMStandIn.withRunning { crm in
            let item = #"{"data":{"items":[{"id":"\#(id)","name":"Moshe Cohen","column_values":[{"id":"email","text":"m-\#(id)@example.com"}]}]}}"#
            crm.enqueue(.json(200, item))
            try await WorkerTestHarness.run { harness in
                var secrets = SourceSecrets()
                secrets.apiToken = "monday-token"
                let source = try await Self.source(
                    harness,
                    preset: .monday,
                    crm: crm,
                    config: ["api_base_url": .string(crm.baseURL + "/v2")],
                    secrets: secrets
                )
                let event = #"{"event":{"type":"create_pulse","boardId":\#(id),"pulseId":\#(id),"pulseName":"Moshe Cohen","columnValues":{}}}"#
                let answer = try await Self.receive(harness, source, body: event, secrets: secrets)
                #expect(answer.status == 200, "\(String(decoding: answer.body, as: UTF8.self))")
                let bodies = try await Self.deliveredBodies(harness, crm, count: 1)
                #expect(crm.requests.first?.bodyText.contains("items(ids: [\(id)])") == true)
                #expect(try await Self.text(harness, "SELECT external_id FROM leads") == "monday:\(id)")
                #expect(bodies.count == 1)
            }
        }
    }

    @Test("monday without an API token: the lead is stored at once with the pulse id as its event id", arguments: ids)
    func mondayInlinePulseIdKeepsDigits(id: String) async throws {
        try await CRMStandIn.withRunning { crm in
            try await WorkerTestHarness.run { harness in
                let source = try await Self.source(harness, preset: .monday, crm: crm)
                let event =
                    #"{"event":{"type":"create_pulse","boardId":\#(id),"pulseId":\#(id),"pulseName":"Moshe Cohen","#
                    + #""columnValues":{"email":{"text":"m-\#(id)@example.com"},"account":{"value":\#(id)}}}}"#
                let answer = try await Self.receive(harness, source, body: event)
                #expect(answer.status == 200, "\(String(decoding: answer.body, as: UTF8.self))")
                #expect(try await Self.text(harness, "SELECT external_event_id FROM inbound_events") == "pulse:\(id)")
                #expect(try await Self.text(harness, "SELECT extra->>'account' FROM leads") == id)
            }
        }
    }

    @Test("Shopmonkey: a numeric customer id becomes the external id with its exact digits", arguments: ids)
    func shopmonkeyIdKeepsDigits(id: String) async throws {
        try await CRMStandIn.withRunning { crm in
            try await WorkerTestHarness.run { harness in
                let source = try await Self.source(harness, preset: .shopmonkey, crm: crm)
                let event =
                    #"{"apiVersion":"3","operation":"INSERT","table":"customer","data":{"id":\#(id),"firstName":"Tal","#
                    + #""emails":[{"email":"tal-\#(id)@example.com","primary":true}],"loyaltyNumber":\#(id)}}"#
                let answer = try await Self.receive(harness, source, body: event)
                #expect(answer.status == 200, "\(String(decoding: answer.body, as: UTF8.self))")
                #expect(try await Self.text(harness, "SELECT external_id FROM leads") == "shopmonkey:\(id)")
                #expect(try await Self.text(harness, "SELECT extra->>'loyaltyNumber' FROM leads") == id)
                let bodies = try await Self.deliveredBodies(harness, crm, count: 1)
                #expect(bodies.first?.contains(#""loyaltyNumber":\#(id)"#) == true, "\(bodies)")
            }
        }
    }
}
