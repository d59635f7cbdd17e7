import Foundation
import PostgresNIO
import Shared
import TestSupport
import Testing

/// Issue 20: Shopmonkey customers and orders polled by the worker against a stand-in with the
/// API's quirks (100-record page cap, ignored filters, overlapping pages, 429, 401).
@Suite("Shopmonkey polling")
struct ShopmonkeyPollingTests {
    static func config(_ standIn: ShopmonkeyStandIn, resources: [String] = ["customer"]) -> [String: JSONValue] {
        [
            "api_base_url": .string(standIn.baseURL), "poll_interval": 10, "start_at": "beginning",
            "resources": .array(resources.map { .string($0) }),
        ]
    }

    static func customer(_ index: Int, updated: Date = Date(timeIntervalSinceNow: -3_600)) -> ShopmonkeyCustomer {
        ShopmonkeyCustomer(
            id: "cust-\(index)",
            firstName: "Driver",
            lastName: "\(index)",
            emails: ["driver\(index)@example.com"],
            phoneNumbers: ["+1201555\(String(format: "%04d", index))"],
            createdDate: updated,
            updatedDate: updated
        )
    }

    @Test(arguments: [false, true])
    func everyCustomerOnceThroughCappedOverlappingPagesAndIgnoredFilters(quirky: Bool) async throws {
        try await ShopmonkeyStandIn.withRunning { standIn in
            try await WorkerTestHarness.run { harness in
                for index in 1...250 { standIn.addCustomer(Self.customer(index, updated: Date(timeIntervalSinceNow: Double(-5_000 + index)))) }
                standIn.overlapPages(quirky)
                standIn.ignoreWhere(quirky)
                let source = try await harness.polledSource(.shopmonkeyPoll, config: Self.config(standIn), secrets: [("api_token", standIn.apiToken)])
                try await harness.withWorkers(tuning: WorkerTestHarness.pollingTuning) { _ in
                    let first = try await harness.waitForPollRuns(source, 1)
                    #expect(first?.outcome == "ok" && first?.accepted == 250 && first?.duplicates == 0)
                    #expect(try await harness.leadEmails(source).count == 250)
                    #expect(
                        try await harness.count(
                            "SELECT count(*)::int FROM leads WHERE source_id = \(source.id) AND external_id = 'shopmonkey:cust-7' AND channel = 'shopmonkey_poll'"
                        ) == 1
                    )

                    // A customer updated and one added: the new one is a lead, the updated one a duplicate.
                    _ = standIn.updateCustomer("cust-3") { $0.postalCode = "90210" }
                    standIn.addCustomer(Self.customer(251, updated: Date()))
                    try await harness.pollNow(source)
                    let second = try await harness.waitForPollRuns(source, 2)
                    #expect(second?.accepted == 1 && second?.duplicates == 1 && second?.newRows == 2)
                    #expect(try await harness.leadEmails(source).count == 251)
                }
            }
        }
    }

    @Test func aCustomerReceivedByWebhookAndByPollingIsOneLead() async throws {
        try await ShopmonkeyStandIn.withRunning { standIn in
            try await WorkerTestHarness.run { harness in
                let customer = Self.customer(1)
                standIn.addCustomer(customer)
                let secret = "whsec_" + Data("shopmonkey-signing-secret".utf8).base64EncodedString()
                let source = try await harness.polledSource(
                    .webhook,
                    preset: .shopmonkey,
                    config: ["poll": .object(Self.config(standIn))],
                    secrets: [("api_token", standIn.apiToken), ("signing_secret", secret)]
                )
                // The webhook first, as the web process handles it.
                var body: [UInt8] = []
                JSONValue.object(["table": "customer", "operation": "INSERT", "data": customer.json, "apiVersion": "v3"]).writeJSON(into: &body)
                let timestamp = String(Int64(Date().timeIntervalSince1970))
                let signature = WebhookSignatures.standardWebhookSignature(id: "msg_1", timestamp: timestamp, body: body, secret: secret)
                let request = WebhookRequest(
                    method: "POST",
                    headers: [
                        "webhook-id": "msg_1", "webhook-timestamp": timestamp, "webhook-signature": signature, "content-type": "application/json",
                    ],
                    contentType: "application/json",
                    body: body
                )
                let sources = SourceStore(client: harness.stores.postgres, logger: harness.logger)
                let secrets = try SourceSecrets.open(try await sources.sealedSecrets(sourceId: source.id), with: harness.configuration.secretBox)
                let answer = try await WebhookIngestor(postgres: harness.stores.postgres, logger: harness.logger)
                    .handle(request, source: source, region: "US", secrets: secrets)
                #expect(answer.status == 200)
                #expect(try await harness.leadEmails(source) == ["driver1@example.com"])

                // Then the backup poll finds the same customer: a duplicate, not a second lead.
                try await harness.withWorkers(tuning: WorkerTestHarness.pollingTuning) { _ in
                    let run = try await harness.waitForPollRuns(source, 1)
                    #expect(run?.accepted == 0 && run?.duplicates == 1)
                }
                #expect(try await harness.leadEmails(source) == ["driver1@example.com"])
            }
        }
    }

    @Test func ordersBringTheirCustomersAndA401IsAnErrorState() async throws {
        try await ShopmonkeyStandIn.withRunning { standIn in
            try await WorkerTestHarness.run { harness in
                standIn.addCustomer(Self.customer(1))
                standIn.addCustomer(Self.customer(2))
                standIn.addOrder(ShopmonkeyOrder(id: "ord-1", number: 1001, customerId: "cust-2", updatedDate: Date(timeIntervalSinceNow: -60)))
                let source = try await harness.polledSource(
                    .shopmonkeyPoll,
                    config: Self.config(standIn, resources: ["order"]),
                    secrets: [("api_token", "wrong-token")]
                )
                try await harness.withWorkers(tuning: WorkerTestHarness.pollingTuning) { _ in
                    #expect(try await harness.waitForPollRuns(source, 1)?.outcome == "error")
                    let (state, reason) = try await harness.pollState(source)
                    #expect(state == "error" && reason?.contains("refused the API token") == true)
                    #expect(reason?.contains("wrong-token") == false)

                    var fixed = try await SourceStore(client: harness.stores.postgres, logger: harness.logger).find(
                        source.id.uuidString,
                        tenantId: nil
                    )
                    fixed.enabled = true
                    let sealed = try SourceSecrets().applying([(name: "api_token", value: standIn.apiToken)]).sealed(
                        with: harness.configuration.secretBox
                    )
                    _ = try await SourceStore(client: harness.stores.postgres, logger: harness.logger).update(fixed, sealedSecrets: sealed)
                    let run = try await harness.waitForPollRuns(source, 2)
                    #expect(run?.outcome == "ok" && run?.accepted == 1)
                    #expect(try await harness.leadEmails(source) == ["driver2@example.com"])
                    #expect(try await harness.pollState(source).state == "ok")
                    #expect(
                        try await harness.count(
                            "SELECT count(*)::int FROM leads WHERE source_id = \(source.id) AND extra ->> 'order_number' = '1001'"
                        ) == 1
                    )
                }
            }
        }
    }

    @Test func a429WaitsForRetryAfter() async throws {
        try await ShopmonkeyStandIn.withRunning { standIn in
            try await WorkerTestHarness.run { harness in
                standIn.addCustomer(Self.customer(1))
                standIn.rateLimitNextRequests(1, retryAfter: 120)
                let source = try await harness.polledSource(.shopmonkeyPoll, config: Self.config(standIn), secrets: [("api_token", standIn.apiToken)])
                try await harness.withWorkers(tuning: WorkerTestHarness.pollingTuning) { _ in
                    let run = try await harness.waitForPollRuns(source, 1)
                    #expect(run?.outcome == "error" && run?.error?.contains("retry after 120 s") == true)
                    #expect(try await harness.pollState(source).state == "ok")
                    #expect(
                        try await harness.count(
                            """
                            SELECT count(*)::int FROM source_polls WHERE source_id = \(source.id)
                              AND next_poll_at BETWEEN now() + interval '100 seconds' AND now() + interval '125 seconds'
                            """
                        ) == 1
                    )
                    try await harness.pollNow(source)
                    #expect(try await harness.waitForPollRuns(source, 2)?.accepted == 1)
                }
            }
        }
    }
}
