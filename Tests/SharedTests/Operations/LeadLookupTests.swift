import Foundation
import PostgresNIO
import Shared
import TestSupport
import Testing

@Suite("Lead lookup")
struct LeadLookupTests {
    /// Two tenants with look-alike leads: A has Ada (twice: an older "Augusta" lead with the same
    /// email and phone) and Grace; B has its own Ada with the same email and phone.
    struct Seeded {
        var tenantA: Tenant
        var tenantB: Tenant
        var ada: (id: Int64, deliveries: [Int64])
        var augusta: (id: Int64, deliveries: [Int64])
        var grace: (id: Int64, deliveries: [Int64])
        var adaB: (id: Int64, deliveries: [Int64])
    }

    func seed(_ fixture: OperationsFixture) async throws -> Seeded {
        let tenantA = try await fixture.tenant("Acme")
        let tenantB = try await fixture.tenant("Bravo")
        let main = try await fixture.destination(tenantA, "CRM main")
        let backup = try await fixture.destination(tenantA, "Backup")
        let form = try await fixture.source(tenantA, "Web form", destinations: [main, backup])
        let other = try await fixture.destination(tenantB, "CRM B")
        let formB = try await fixture.source(tenantB, "B form", destinations: [other])
        let augusta = try await fixture.lead(
            [
                .firstName: "Augusta", .lastName: "Lovelace", .email: "ada.lovelace@example.com",
                .phone: "201-555-0123",
            ],
            source: form,
            tenant: tenantA
        )
        try await fixture.age(leadId: augusta.id, by: 3_600)
        let ada = try await fixture.lead(
            [.firstName: "Ada", .lastName: "Lovelace", .email: "Ada.Lovelace@Example.COM", .phone: "(201) 555-0123", .postalCode: "10001"],
            source: form,
            tenant: tenantA,
            extra: ["campaign": "spring"],
            raw: ["full_name": "Ada Lovelace", "email": "Ada.Lovelace@Example.COM", "phone": "(201) 555-0123"]
        )
        let grace = try await fixture.lead(
            [
                .firstName: "Grace", .lastName: "Hopper", .email: "grace@example.com", .phone: "0000",
                .externalId: "fb-77",
            ],
            source: form,
            tenant: tenantA
        )
        let adaB = try await fixture.lead(
            [
                .firstName: "Ada", .lastName: "Lovelace", .email: "ada.lovelace@example.com",
                .phone: "+1 201 555 0123",
            ],
            source: formB,
            tenant: tenantB
        )
        return Seeded(tenantA: tenantA, tenantB: tenantB, ada: ada, augusta: augusta, grace: grace, adaB: adaB)
    }

    @Test func findsByEmailCaseInsensitivelyNewestFirstAndOnlyInTheTenant() async throws {
        try await OperationsFixture.run { fixture in
            let seeded = try await seed(fixture)
            let lookup = LeadLookup(client: fixture.client, logger: fixture.logger)
            let inA = try await lookup.find(.email("ADA.LOVELACE@EXAMPLE.COM"), tenantId: seeded.tenantA.id)
            #expect(inA.map(\.id) == [seeded.ada.id, seeded.augusta.id])
            #expect(inA.first?.sourceName == "Web form")
            #expect(inA.first?.email == "Ada.Lovelace@example.com")
            #expect(inA.first?.deliveryStatuses == ["queued": 2])
            #expect(try await lookup.find(.email("ada.lovelace@example.com"), tenantId: seeded.tenantB.id).map(\.id) == [seeded.adaB.id])
            let everywhere = try await lookup.find(.email("ada.lovelace@example.com"), tenantId: nil)
            #expect(Set(everywhere.map(\.id)) == [seeded.ada.id, seeded.augusta.id, seeded.adaB.id])
            #expect(try await lookup.find(.email("ada.lovelace@example.com"), tenantId: nil, limit: 1).count == 1)
        }
    }

    @Test(arguments: ["+1 201-555-0123", "2015550123", "(201) 555-0123", "201.555.0123"])
    func findsByPhoneNormalizedToE164(_ typed: String) async throws {
        try await OperationsFixture.run { fixture in
            let seeded = try await seed(fixture)
            let lookup = LeadLookup(client: fixture.client, logger: fixture.logger)
            #expect(try await lookup.find(.phone(typed), tenantId: seeded.tenantA.id).map(\.id) == [seeded.ada.id, seeded.augusta.id])
            let query = try #require(LeadQuery(identifier: typed))
            #expect(try await lookup.find(query, tenantId: seeded.tenantA.id).map(\.id) == [seeded.ada.id, seeded.augusta.id])
            #expect(try await lookup.find(.phone(typed), tenantId: seeded.tenantB.id).map(\.id) == [seeded.adaB.id])
        }
    }

    @Test func findsAnInvalidPhoneAsTypedAndByIdNameAndExternalId() async throws {
        try await OperationsFixture.run { fixture in
            let seeded = try await seed(fixture)
            let lookup = LeadLookup(client: fixture.client, logger: fixture.logger)
            let tenant = seeded.tenantA.id
            let grace = try await lookup.find(.phone("0000"), tenantId: tenant)
            #expect(grace.map(\.id) == [seeded.grace.id])
            #expect(grace.first?.phone == nil)
            #expect(grace.first?.phoneRaw == "0000")
            #expect(try await lookup.find(.id(seeded.grace.id), tenantId: tenant).map(\.id) == [seeded.grace.id])
            #expect(try await lookup.find(.name("LOVELACE"), tenantId: tenant).map(\.id) == [seeded.ada.id, seeded.augusta.id])
            #expect(try await lookup.find(.name("ada  love"), tenantId: tenant).map(\.id) == [seeded.ada.id])
            #expect(try await lookup.find(.name("%"), tenantId: tenant).isEmpty, "wildcards in the text match literally")
            #expect(try await lookup.find(.name("_"), tenantId: tenant).isEmpty)
            #expect(try await lookup.find(.externalId("fb-77"), tenantId: tenant).map(\.id) == [seeded.grace.id])
            #expect(try await lookup.find(.any("fb-77"), tenantId: tenant).map(\.id) == [seeded.grace.id])
            #expect(try await lookup.find(.any("grace@EXAMPLE.com"), tenantId: tenant).map(\.id) == [seeded.grace.id])
            #expect(try await lookup.find(.any("Hopper"), tenantId: tenant).map(\.id) == [seeded.grace.id])
            #expect(try await lookup.find(.any(String(seeded.grace.id)), tenantId: tenant).map(\.id) == [seeded.grace.id])
        }
    }

    @Test func neverReturnsAnotherTenantsLead() async throws {
        try await OperationsFixture.run { fixture in
            let seeded = try await seed(fixture)
            let lookup = LeadLookup(client: fixture.client, logger: fixture.logger)
            #expect(try await lookup.find(.id(seeded.adaB.id), tenantId: seeded.tenantA.id).isEmpty)
            #expect(try await lookup.find(.any(String(seeded.adaB.id)), tenantId: seeded.tenantA.id).isEmpty)
            #expect(try await lookup.detail(leadId: seeded.adaB.id, tenantId: seeded.tenantA.id) == nil)
            #expect(try await lookup.detail(leadId: seeded.ada.id, tenantId: seeded.tenantB.id) == nil)
            #expect(
                try await lookup.details(leadIds: [seeded.ada.id, seeded.adaB.id], tenantId: seeded.tenantB.id).map(\.summary.id)
                    == [seeded.adaB.id]
            )
            #expect(try await lookup.detail(leadId: seeded.adaB.id, tenantId: nil)?.summary.tenantId == seeded.tenantB.id)
        }
    }

    @Test func detailHoldsFieldsPayloadDeliveriesAndEveryAttempt() async throws {
        try await OperationsFixture.run { fixture in
            let seeded = try await seed(fixture)
            // Deliveries are ordered by destination name: Backup, CRM main.
            let (backup, main) = (seeded.ada.deliveries[0], seeded.ada.deliveries[1])
            let first = Date(timeIntervalSince1970: 1_790_000_000)
            try await fixture.attempt(
                main,
                number: 1,
                outcome: "retryable",
                httpStatus: 503,
                errorClass: "server_error",
                message: "HTTP 503",
                excerpt: "upstream down",
                startedAt: first,
                durationMilliseconds: 1_200
            )
            try await fixture.attempt(
                main,
                number: 2,
                outcome: "succeeded",
                httpStatus: 200,
                excerpt: #"{"contact":{"id":"c-1"}}"#,
                startedAt: first.addingTimeInterval(10),
                durationMilliseconds: 80
            )
            try await fixture.finish(main, status: "succeeded", attempts: 2, externalId: "c-1", httpStatus: 200)
            try await fixture.attempt(
                backup,
                number: 1,
                outcome: "permanent",
                httpStatus: 422,
                errorClass: "rejected",
                message: "HTTP 422: email is invalid",
                startedAt: first
            )
            try await fixture.finish(
                backup,
                status: "dead",
                attempts: 1,
                httpStatus: 422,
                errorClass: "rejected",
                error: "HTTP 422: email is invalid"
            )

            let detail = try #require(
                try await LeadLookup(client: fixture.client, logger: fixture.logger)
                    .detail(leadId: seeded.ada.id, tenantId: seeded.tenantA.id)
            )
            #expect(detail.summary.firstName == "Ada")
            #expect(detail.summary.lastName == "Lovelace")
            #expect(detail.summary.phone == "+12015550123")
            #expect(detail.summary.phoneRaw == "(201) 555-0123")
            #expect(detail.summary.channel == "api")
            #expect(detail.summary.deliveryStatuses == ["succeeded": 1, "dead": 1])
            #expect(detail.postalCode == "10001")
            #expect(detail.extra == ["campaign": "spring"])
            #expect(detail.raw == ["full_name": "Ada Lovelace", "email": "Ada.Lovelace@Example.COM", "phone": "(201) 555-0123"])
            #expect(detail.deliveries.map(\.destinationName) == ["Backup", "CRM main"])
            #expect(detail.deliveries.map(\.status) == ["dead", "succeeded"])
            #expect(detail.deliveries[0].lastError == "HTTP 422: email is invalid")
            #expect(detail.deliveries[0].lastHTTPStatus == 422)
            #expect(detail.deliveries[1].externalId == "c-1")
            #expect(detail.deliveries[1].attempts == 2)
            #expect(detail.deliveries[1].destinationKind == "http")
            let log = detail.deliveries[1].attemptLog
            #expect(log.map(\.attempt) == [1, 2])
            #expect(log.map(\.workerId) == ["worker-1", "worker-1"])
            #expect(log.map(\.startedAt) == [first, first.addingTimeInterval(10)])
            #expect(log.map(\.durationMilliseconds) == [1_200, 80])
            #expect(log.map(\.outcome) == ["retryable", "succeeded"])
            #expect(log.map(\.httpStatus) == [503, 200])
            #expect(log.map(\.errorClass) == ["server_error", nil])
            #expect(log.map(\.errorMessage) == ["HTTP 503", nil])
            #expect(log.map(\.responseExcerpt) == ["upstream down", #"{"contact":{"id":"c-1"}}"#])
            #expect(detail.deliveries[0].attemptLog.map(\.outcome) == ["permanent"])
        }
    }

    @Test(arguments: [
        ("42", LeadQuery.any("42")),
        (" Ada@Example.com ", LeadQuery.email("Ada@Example.com")),
        ("+1 (201) 555-0123", LeadQuery.phone("+1 (201) 555-0123")),
        ("201.555.0123", LeadQuery.phone("201.555.0123")),
    ])
    func parsesTheShowArgument(_ text: String, _ expected: LeadQuery) {
        #expect(LeadQuery(identifier: text) == expected)
    }

    @Test(arguments: ["Ada Lovelace", "", "   ", "--"])
    func refusesArgumentsThatAreNoIdEmailOrPhone(_ text: String) {
        #expect(LeadQuery(identifier: text) == nil)
    }
}
