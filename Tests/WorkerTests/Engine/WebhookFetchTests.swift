import Foundation
import PostgresNIO
import Shared
import TestSupport
import Testing
import WorkerApp

@Suite("Webhook fetch jobs")
struct WebhookFetchTests {
    static func fixture(_ name: String) throws -> String {
        String(decoding: try Data(contentsOf: TestEnvironment.fixtures.appendingPathComponent("webhooks/\(name)")), as: UTF8.self)
    }

    static func webhookSource(
        _ harness: WorkerTestHarness,
        preset: WebhookPreset,
        config: [String: JSONValue],
        secrets: SourceSecrets
    ) async throws -> Source {
        let (destination, _) = try await harness.destination(.ghl, baseURL: nil, config: ["locationId": "loc"], dryRun: true)
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
        source: Source,
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

    func outcomes(_ harness: WorkerTestHarness) async throws -> [String] {
        var result: [String] = []
        for try await outcome in try await harness.stores.postgres.query("SELECT outcome FROM inbound_events ORDER BY id", logger: harness.logger)
            .decode(String.self)
        { result.append(outcome) }
        return result
    }

    func waitForOutcomes(_ harness: WorkerTestHarness, _ expected: [String]) async throws -> [String] {
        var current: [String] = []
        for _ in 0..<900 {  // up to 90 s: a worker starts slowly while the whole suite runs
            current = try await outcomes(harness)
            if current == expected { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        return current
    }

    @Test func metaLeadsAreFetchedFromTheGraphAPIAndMetaResendsAreDuplicates() async throws {
        try await CRMStandIn.withRunning { graph in
            graph.enqueue(
                .json(200, try Self.fixture("facebook_graph_lead_444000.json")),
                .json(200, try Self.fixture("facebook_graph_lead_444001.json")),
                .json(200, try Self.fixture("facebook_graph_lead_444000.json")),
                .json(200, try Self.fixture("facebook_graph_lead_444001.json"))
            )
            try await WorkerTestHarness.run { harness in
                var secrets = SourceSecrets()
                secrets.pageToken = "page-secret-token"
                let source = try await Self.webhookSource(
                    harness,
                    preset: .facebook,
                    config: ["graph_base_url": .string(graph.baseURL + "/v21.0")],
                    secrets: secrets
                )
                let notification = try Self.fixture("facebook_leadgen.json")
                _ = try await Self.receive(harness, source: source, body: notification)
                let first = try await harness.withWorkers { _ in
                    try await waitForOutcomes(harness, ["accepted"])
                }
                #expect(first == ["accepted"])
                #expect(graph.requests.map(\.path) == ["/v21.0/444000", "/v21.0/444001"])
                #expect(graph.requests.first?.query?.contains("access_token=page-secret-token") == true)
                #expect(
                    try await harness.count(
                        "SELECT count(*)::int FROM leads WHERE external_id IN ('444000', '444001') AND extra->>'which_location_do_you_prefer?' = 'Scarsdale'"
                    ) == 2
                )
                // Meta sends the same notification again: fetched again, stored once.
                _ = try await Self.receive(harness, source: source, body: notification)
                let second = try await harness.withWorkers { _ in try await waitForOutcomes(harness, ["accepted", "duplicate"]) }
                #expect(second == ["accepted", "duplicate"])
                #expect(try await harness.count("SELECT count(*)::int FROM leads") == 2)
                #expect(try await harness.count("SELECT count(*)::int FROM deliveries WHERE status = 'succeeded'") == 2)
            }
        }
    }

    @Test func aGraphOutageDelaysTheFetchWithoutLosingIt() async throws {
        try await CRMStandIn.withRunning { graph in
            graph.setDefault(.serverError(503))
            try await WorkerTestHarness.run { harness in
                var secrets = SourceSecrets()
                secrets.pageToken = "t"
                let source = try await Self.webhookSource(
                    harness,
                    preset: .facebook,
                    config: ["graph_base_url": .string(graph.baseURL)],
                    secrets: secrets
                )
                _ = try await Self.receive(harness, source: source, body: try Self.fixture("facebook_leadgen.json"))
                // Waits (up to 90 s: a worker starts slowly while the whole suite runs) until the failed
                // fetch is recorded, and reads the event's state right then, while the worker runs: a
                // slow shutdown could otherwise reach the next attempt, due 10 s later.
                let (outcomesSeen, failedOnce) = try await harness.withWorkers { _ in
                    for _ in 0..<900 {
                        let recorded = try await harness.count("SELECT count(*)::int FROM inbound_events WHERE fetch_error IS NOT NULL")
                        if recorded > 0 { break }
                        try await Task.sleep(for: .milliseconds(100))
                    }
                    let failedOnce = try await harness.count(
                        "SELECT count(*)::int FROM inbound_events WHERE fetch_attempts = 1 AND fetch_error LIKE 'HTTP 503%' AND next_fetch_at > now()"
                    )
                    return (try await outcomes(harness), failedOnce)
                }
                #expect(outcomesSeen == ["pending_fetch"])
                #expect(failedOnce == 1)
            }
        }
    }

    @Test func aMondayItemIsFetchedByGraphQLWithTheAPIToken() async throws {
        try await CRMStandIn.withRunning { monday in
            monday.enqueue(.json(200, try Self.fixture("monday_item_query_response.json")))
            try await WorkerTestHarness.run { harness in
                var secrets = SourceSecrets()
                secrets.apiToken = "monday-token"
                let source = try await Self.webhookSource(
                    harness,
                    preset: .monday,
                    config: ["api_base_url": .string(monday.baseURL + "/v2")],
                    secrets: secrets
                )
                let answer = try await Self.receive(harness, source: source, body: try Self.fixture("monday_create_pulse.json"), secrets: secrets)
                #expect(answer.status == 200)
                let result = try await harness.withWorkers { _ in try await waitForOutcomes(harness, ["accepted"]) }
                #expect(result == ["accepted"])
                #expect(monday.requests.first?.header("Authorization") == "monday-token")
                #expect(monday.requests.first?.bodyText.contains("222") == true)
                #expect(
                    try await harness.count(
                        "SELECT count(*)::int FROM leads WHERE email = 'moshe@example.com' AND first_name = 'Moshe' AND external_id = 'monday:222'"
                    ) == 1
                )
            }
        }
    }
}
