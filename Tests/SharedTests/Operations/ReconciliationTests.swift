import Foundation
import PostgresNIO
import Shared
import TestSupport
import Testing

@Suite("Reconciliation")
struct ReconciliationTests {
    static let week: TimeInterval = 7 * 86_400

    func reconciliation(_ fixture: OperationsFixture) -> Reconciliation {
        Reconciliation(client: fixture.client, secretBox: fixture.secretBox, policy: .allowingPrivateNetworks, logger: fixture.logger)
    }

    @Test func listsTheSucceededDeliveriesGoHighLevelDoesNotHaveAndRetriesExactlyThose() async throws {
        try await OperationsFixture.run { fixture in
            try await CRMStandIn.withRunning(validator: try GHLOpenAPIValidator.standard()) { crm in
                let tenant = try await fixture.tenant("Acme")
                let ghl = try await fixture.destination(tenant, "GHL", kind: .ghl, config: ["locationId": "loc-1"], baseURL: crm.baseURL) {
                    $0.rateLimitRequests = 1
                    $0.rateLimitIntervalMilliseconds = 300
                }
                let other = try await fixture.destination(tenant, "Webhook")
                let form = try await fixture.source(tenant, "Web form", destinations: [ghl])
                let otherForm = try await fixture.source(tenant, "Other", destinations: [other])
                var deliveries: [Int64] = []
                for index in 1...7 {
                    let lead = try await fixture.lead(
                        [
                            .firstName: "Lead\(index)", .email: "l\(index)@example.com",
                            .phone: "201555010\(index)",
                        ],
                        source: form,
                        tenant: tenant
                    )
                    deliveries.append(lead.deliveries[0])
                }
                try await fixture.finish(deliveries[0], status: "succeeded", externalId: "c-1")
                try await fixture.finish(deliveries[1], status: "succeeded", externalId: "c-2")
                try await fixture.finish(deliveries[2], status: "succeeded")
                try await fixture.finish(deliveries[3], status: "succeeded", externalId: "dry-run")
                try await fixture.finish(deliveries[4], status: "succeeded", externalId: "c-5")
                try await fixture.finish(deliveries[5], status: "dead", error: "HTTP 422")
                try await fixture.finish(deliveries[6], status: "succeeded", externalId: "c-7")
                try await fixture.client.execute(
                    "UPDATE deliveries SET updated_at = now() - interval '3 days' WHERE id = \(deliveries[6])",
                    logger: fixture.logger
                )
                let elsewhere = try await fixture.lead([.email: "x@example.com"], source: otherForm, tenant: tenant)
                try await fixture.finish(elsewhere.deliveries[0], status: "succeeded", externalId: "x-1")

                crm.enqueue(
                    .ghlContact(id: "c-1"),
                    .ghlContactNotFound,
                    .ghlDuplicateSearchEmpty,
                    .ghlDuplicateSearch(found: "c-4"),
                    .serverError(500)
                )
                let began = Date()
                let report = try await reconciliation(fixture).check(ghl, since: Date().addingTimeInterval(-86_400), limit: 100)

                #expect(report.checked == 5)
                #expect(report.found == 2)
                #expect(report.missing.map(\.deliveryId) == [deliveries[1], deliveries[2]])
                #expect(report.missing.map(\.lookedUpBy) == ["id", "search"])
                #expect(report.missing.map(\.outcome) == [.missing, .missing])
                #expect(report.missing[1].email == "l3@example.com")
                #expect(report.missing[1].phone == "+12015550103")
                #expect(report.unchecked.map(\.deliveryId) == [deliveries[4]])
                #expect(report.unchecked.first?.detail?.hasPrefix("HTTP 500") == true)

                let requests = crm.requests
                #expect(
                    requests.map(\.path) == [
                        "/contacts/c-1", "/contacts/c-2", "/contacts/search/duplicate",
                        "/contacts/search/duplicate", "/contacts/c-5",
                    ]
                )
                #expect(requests.map(\.method) == Array(repeating: "GET", count: 5))
                #expect(requests[2].query == "locationId=loc-1&email=l3%40example.com&number=%2B12015550103")
                #expect(requests[3].query == "locationId=loc-1&email=l4%40example.com&number=%2B12015550104")
                #expect(requests.allSatisfy { $0.violations.isEmpty }, "every call conforms to GoHighLevel's spec")
                #expect(requests.allSatisfy { $0.header("Authorization") == "Bearer token-123" && $0.header("Version") == "2021-07-28" })
                // One call per 300 ms: the fifth starts at least 1.2 s after the first, which starts after `began`. (Measured
                // from `began`, not from the first arrival: on a loaded machine the first call arrives late, connecting.)
                let span = try #require(requests.last?.receivedAt.timeIntervalSince(began))
                #expect(span >= 1.2, "calls are paced by the destination's rate limit")

                let retried = try await reconciliation(fixture).retryMissing(report, actor: "test-operator")
                #expect(retried == [deliveries[1], deliveries[2]])
                let queued = try await fixture.integers(
                    """
                    SELECT id FROM deliveries WHERE status = 'queued' AND attempts = 0 AND finished_at IS NULL ORDER BY id
                    """
                )
                #expect(queued == [deliveries[1], deliveries[2]])
                #expect(
                    try await fixture.integers("SELECT id FROM deliveries WHERE status = 'succeeded' ORDER BY id")
                        == [deliveries[0], deliveries[3], deliveries[4], deliveries[6], elsewhere.deliveries[0]]
                )
                let audit = try await fixture.strings(
                    """
                    SELECT action || ' ' || actor || ' ' || (SELECT jsonb_agg(x ORDER BY x::bigint) FROM jsonb_array_elements(details->'ids') x)::text
                           || ' ' || tenant_id::text FROM audit_log ORDER BY id
                    """
                )
                let ids = "[\(deliveries[1]), \(deliveries[2])]"
                #expect(
                    audit == [
                        "deliveries.reconcile_missing test-operator \(ids) \(tenant.id.uuidString.lowercased())",
                        "deliveries.retry test-operator \(ids) \(tenant.id.uuidString.lowercased())",
                    ]
                )

                #expect(
                    try await reconciliation(fixture).retryMissing(report, actor: "test-operator").isEmpty,
                    "a second run finds them no longer succeeded"
                )
                #expect(try await fixture.integers("SELECT count(*) FROM audit_log") == [2])
            }
        }
    }

    @Test func looksUpGoHighLevelV1ContactsByIdAndByEmailAndPhone() async throws {
        try await OperationsFixture.run { fixture in
            try await CRMStandIn.withRunning { crm in
                let tenant = try await fixture.tenant("Acme")
                let ghl = try await fixture.destination(tenant, "GHL v1", kind: .ghlV1, baseURL: crm.baseURL + "/") {
                    $0.rateLimitRequests = 100
                    $0.rateLimitIntervalMilliseconds = 1_000
                }
                let form = try await fixture.source(tenant, "Web form", destinations: [ghl])
                let first = try await fixture.lead([.email: "a@example.com"], source: form, tenant: tenant)
                let second = try await fixture.lead([.email: "b+tag@example.com", .phone: "2015550102"], source: form, tenant: tenant)
                let third = try await fixture.lead([.email: "c@example.com"], source: form, tenant: tenant)
                try await fixture.finish(first.deliveries[0], status: "succeeded", externalId: "v1-1")
                try await fixture.finish(second.deliveries[0], status: "succeeded")
                try await fixture.finish(third.deliveries[0], status: "succeeded")
                crm.enqueue(.ghlContact(id: "v1-1"), .ghlV1Lookup(found: []), .ghlV1Lookup(found: ["v1-3"]))

                let report = try await reconciliation(fixture).check(ghl, since: Date().addingTimeInterval(-600), limit: 10)
                #expect(report.checked == 3)
                #expect(report.found == 2)
                #expect(report.missing.map(\.deliveryId) == [second.deliveries[0]])
                let requests = crm.requests
                #expect(requests.map(\.path) == ["/v1/contacts/v1-1", "/v1/contacts/lookup", "/v1/contacts/lookup"])
                #expect(requests[1].query == "email=b%2Btag%40example.com&phone=%2B12015550102")
                #expect(requests.allSatisfy { $0.header("Version") == nil && $0.header("Authorization") == "Bearer token-123" })
            }
        }
    }

    @Test func waitsAndAsksAgainWhenRateLimitedAndHonoursTheLimitOption() async throws {
        try await OperationsFixture.run { fixture in
            try await CRMStandIn.withRunning { crm in
                let tenant = try await fixture.tenant("Acme")
                let ghl = try await fixture.destination(tenant, "GHL", kind: .ghl, config: ["locationId": "loc-1"], baseURL: crm.baseURL) {
                    $0.rateLimitRequests = 100
                    $0.rateLimitIntervalMilliseconds = 1_000
                }
                let form = try await fixture.source(tenant, "Web form", destinations: [ghl])
                for index in 1...3 {
                    let lead = try await fixture.lead([.email: "l\(index)@example.com"], source: form, tenant: tenant)
                    try await fixture.finish(lead.deliveries[0], status: "succeeded", externalId: "c-\(index)")
                }
                crm.enqueue(.rateLimited(retryAfter: "0"), .ghlContact(id: "c-1"), .ghlContact(id: "c-2"))
                let report = try await reconciliation(fixture).check(ghl, since: Date().addingTimeInterval(-600), limit: 2)
                #expect(report.checked == 2)
                #expect(report.found == 2)
                #expect(report.missing.isEmpty && report.unchecked.isEmpty)
                #expect(crm.requests.map(\.path) == ["/contacts/c-1", "/contacts/c-1", "/contacts/c-2"])
            }
        }
    }

    @Test func stopsWhenGoHighLevelRefusesTheCredential() async throws {
        try await OperationsFixture.run { fixture in
            try await CRMStandIn.withRunning { crm in
                let tenant = try await fixture.tenant("Acme")
                let ghl = try await fixture.destination(tenant, "GHL", kind: .ghl, config: ["locationId": "loc-1"], baseURL: crm.baseURL)
                let form = try await fixture.source(tenant, "Web form", destinations: [ghl])
                for index in 1...2 {
                    let lead = try await fixture.lead([.email: "l\(index)@example.com"], source: form, tenant: tenant)
                    try await fixture.finish(lead.deliveries[0], status: "succeeded", externalId: "c-\(index)")
                }
                crm.setDefault(.unauthorized())
                let error = await #expect(throws: ReconcileError.self) {
                    try await reconciliation(fixture).check(ghl, since: Date().addingTimeInterval(-600), limit: 10)
                }
                #expect(error?.description.contains("GoHighLevel refused the destination's credential (HTTP 401)") == true)
                #expect(crm.requests.count == 1)
            }
        }
    }

    @Test(arguments: [DestinationKind.momence, .npa, .http])
    func refusesOtherDestinationKinds(_ kind: DestinationKind) async throws {
        try await OperationsFixture.run { fixture in
            let tenant = try await fixture.tenant("Acme")
            let destination = try await fixture.destination(tenant, "Other", kind: kind, config: ["hostId": "1", "url": "http://127.0.0.1:9/x"])
            let error = await #expect(throws: ReconcileError.self) {
                try await reconciliation(fixture).check(destination, since: Date(), limit: 10)
            }
            #expect(error?.description == "reconcile supports ghl and ghl_v1 destinations; 'Other' is \(kind.rawValue)")
        }
    }

    @Test func refusesDryRunDestinationsAndOnesWithoutCredentialOrLocation() async throws {
        try await OperationsFixture.run { fixture in
            let tenant = try await fixture.tenant("Acme")
            let dryRun = try await fixture.destination(tenant, "Dry", kind: .ghl, config: ["locationId": "loc-1"], dryRun: true)
            let dryError = await #expect(throws: ReconcileError.self) {
                try await reconciliation(fixture).check(dryRun, since: Date(), limit: 10)
            }
            #expect(
                dryError?.description == "destination 'Dry' is a dry run: its deliveries never reached GoHighLevel, so there is nothing to reconcile"
            )
            let noSecret = try await fixture.destination(tenant, "Bare", kind: .ghl, config: ["locationId": "loc-1"], secret: nil)
            let secretError = await #expect(throws: ReconcileError.self) {
                try await reconciliation(fixture).check(noSecret, since: Date(), limit: 10)
            }
            #expect(secretError?.description.hasPrefix("destination 'Bare' has no credential") == true)
            let noLocation = try await fixture.destination(tenant, "Nowhere", kind: .ghl)
            let locationError = await #expect(throws: ReconcileError.self) {
                try await reconciliation(fixture).check(noLocation, since: Date(), limit: 10)
            }
            #expect(locationError?.description == "destination 'Nowhere' has no locationId in its config")
        }
    }
}
