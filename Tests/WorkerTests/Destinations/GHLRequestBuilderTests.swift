import Foundation
import NIOHTTP1
import Shared
import TestSupport
import Testing
import WorkerApp

extension Destinations {
    @Suite("GoHighLevel request builders")
    struct GHLRequestBuilderTests {
        typealias F = DestinationFixtures

        static let fullConfig: [String: JSONValue] = [
            "locationId": .string("ve9EPM428h8vShlRW1KT"), "tags": .array([.string("leadrelay"), .string("web")]),
            "custom_fields": .object([
                "Goal": .string("cf-goal"), "notes": .string("cf-notes"), "interests": .string("cf-interests"),
                "missing_key": .string("cf-missing"),
            ]),
            "contact_fields": .object(["companyName": .string("company")]), "country": .string("US"),
        ]

        static let leads: [DeliveryLead] = [
            F.lead, F.emailOnlyLead, F.phoneOnlyLead,
            DeliveryLead(
                id: 9,
                firstName: "Zoë \"Q\" O'Neil",
                lastName: "Ünal\n",
                email: "z@example.com",
                extra: ["company": .string("Acme \\ Co"), "Goal": .number(3.5)]
            ),
        ]

        @Test("v2 upsert bodies conform to the published spec", arguments: leads)
        func v2BodiesConformToTheSpec(lead: DeliveryLead) throws {
            let destination = F.destination(.ghl, config: Self.fullConfig)
            let request = try DestinationRequestBuilder.build(lead: lead, destination: destination, secret: F.secret)
            let url = try #require(URL(string: request.url))
            let problems = try GHLOpenAPIValidator.standard().validate(
                method: request.method.rawValue,
                path: url.path,
                headers: F.pairs(request.headers),
                body: request.body
            )
            #expect(problems == [], "\(request.bodyText)")
        }

        @Test func v2UpsertCarriesTheLeadTheConfigAndTheHeaders() throws {
            let destination = F.destination(.ghl, config: Self.fullConfig)
            let request = try DestinationRequestBuilder.build(lead: F.lead, destination: destination, secret: F.secret)
            #expect(request.method == .POST)
            #expect(request.url == "https://services.leadconnectorhq.com/contacts/upsert")
            #expect(request.headers.first(name: "Authorization") == "Bearer \(F.secret)")
            #expect(request.headers.first(name: "Version") == "2021-07-28")
            #expect(request.headers.first(name: "Content-Type") == "application/json")
            #expect(request.headers.first(name: "Accept") == "application/json")
            let body = F.body(request)
            #expect(
                Set(body.keys) == [
                    "locationId", "firstName", "lastName", "email", "phone", "postalCode", "source", "tags",
                    "customFields", "country",
                ]
            )
            #expect(body["locationId"] == .string("ve9EPM428h8vShlRW1KT"))
            #expect(body["phone"] == .string("+12015550291"))
            #expect(body["source"] == .string("Website form"))
            #expect(body["tags"] == .array([.string("leadrelay"), .string("web")]))
            #expect(
                body["customFields"]
                    == .array([
                        .object(["id": .string("cf-goal"), "field_value": .string("strength")]),
                        .object(["id": .string("cf-interests"), "field_value": .array([.string("yoga"), .string("spin")])]),
                        .object(["id": .string("cf-notes"), "field_value": .string("Wants a trial class")]),
                    ])
            )
        }

        @Test func v2OmitsWhatTheLeadDoesNotHave() throws {
            let request = try DestinationRequestBuilder.build(lead: F.emailOnlyLead, destination: F.destination(.ghl), secret: F.secret)
            #expect(F.body(request) == ["locationId": .string("ve9EPM428h8vShlRW1KT"), "email": .string("solo@example.com")])
        }

        @Test func v2UsesTheBaseURLOverrideAndTheConfiguredSource() throws {
            var config = F.defaultConfig(.ghl)
            config["source"] = .string("LeadRelay")
            let destination = F.destination(.ghl, config: config, baseURL: "http://127.0.0.1:9999/sandbox/")
            let request = try DestinationRequestBuilder.build(lead: F.lead, destination: destination, secret: F.secret)
            #expect(request.url == "http://127.0.0.1:9999/sandbox/contacts/upsert")
            #expect(F.body(request)["source"] == .string("LeadRelay"))
        }

        struct Unbuildable: Sendable, CustomTestStringConvertible {
            var kind: DestinationKind
            var config: [String: JSONValue]
            var lead: DeliveryLead
            var secret: String?
            var errorClass: DeliveryErrorClass
            var reason: String
            var testDescription: String { reason }
        }

        @Test(
            "leads or destinations that cannot be sent fail permanently",
            arguments: [
                Unbuildable(
                    kind: .ghl,
                    config: [:],
                    lead: F.lead,
                    secret: F.secret,
                    errorClass: .configuration,
                    reason: "GoHighLevel destination has no locationId in its config"
                ),
                Unbuildable(
                    kind: .ghl,
                    config: F.defaultConfig(.ghl),
                    lead: F.lead,
                    secret: nil,
                    errorClass: .configuration,
                    reason: "GoHighLevel destination has no credential (set one with --secret)"
                ),
                Unbuildable(
                    kind: .ghl,
                    config: ["locationId": .string("l"), "contact_fields": .object(["notes": .string("notes")])],
                    lead: F.lead,
                    secret: F.secret,
                    errorClass: .configuration,
                    reason: "GoHighLevel config contact_fields.notes is not a contact property GoHighLevel accepts"
                ),
                Unbuildable(
                    kind: .ghl,
                    config: ["locationId": .string("l"), "custom_fields": .array([])],
                    lead: F.lead,
                    secret: F.secret,
                    errorClass: .configuration,
                    reason: "GoHighLevel config custom_fields must be an object"
                ),
                Unbuildable(
                    kind: .ghlV1,
                    config: [:],
                    lead: DeliveryLead(id: 1, firstName: "No", phoneRaw: "12"),
                    secret: F.secret,
                    errorClass: .invalidLead,
                    reason: "GoHighLevel v1 requires an email or a valid phone; the lead has neither"
                ),
                Unbuildable(
                    kind: .ghlV1,
                    config: [:],
                    lead: F.lead,
                    secret: "",
                    errorClass: .configuration,
                    reason: "GoHighLevel v1 destination has no credential (set one with --secret)"
                ),
            ]
        )
        func unbuildable(_ example: Unbuildable) {
            #expect(throws: DeliveryBuildError(example.errorClass, example.reason)) {
                try DestinationRequestBuilder.build(
                    lead: example.lead,
                    destination: F.destination(example.kind, config: example.config),
                    secret: example.secret
                )
            }
        }

        @Test func v1PostsTheLegacyShapeWithTheLocationKey() throws {
            let config: [String: JSONValue] = ["custom_fields": .object(["Goal": .string("cf1")]), "tags": .string("vip")]
            let request = try DestinationRequestBuilder.build(
                lead: F.lead,
                destination: F.destination(.ghlV1, config: config),
                secret: F.secret
            )
            #expect(request.url == "https://rest.gohighlevel.com/v1/contacts/")
            #expect(request.headers.first(name: "Authorization") == "Bearer \(F.secret)")
            #expect(request.headers.first(name: "Version") == nil)
            let body = F.body(request)
            #expect(body["locationId"] == nil)
            #expect(body["customField"] == .object(["cf1": .string("strength")]))
            #expect(body["tags"] == .array([.string("vip")]))
            #expect(body["email"] == .string("jane@example.com"))
            #expect(body["phone"] == .string("+12015550291"))
        }
    }
}
