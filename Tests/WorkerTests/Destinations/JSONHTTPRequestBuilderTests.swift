import Foundation
import NIOHTTP1
import Shared
import Testing
import WorkerApp

extension Destinations {
    @Suite("NPA and HTTP request builders")
    struct JSONHTTPRequestBuilderTests {
        typealias F = DestinationFixtures

        @Test func npaPresetMapsToThePartnerFieldNames() throws {
            let request = try DestinationRequestBuilder.build(lead: F.lead, destination: F.destination(.npa), secret: F.secret)
            #expect(request.method == .POST)
            #expect(request.url == "https://partner.example.com/api/leads")
            #expect(request.headers.first(name: "Authorization") == "Bearer \(F.secret)")
            #expect(request.headers.first(name: "Content-Type") == "application/json")
            #expect(
                F.body(request) == [
                    "full_name": .string("Jane Doe"), "phone": .string("+12015550291"), "email": .string("jane@example.com"),
                    "zip_code": .string("60601"), "vehicle_make": .string("Toyota"), "vehicle_model": .string("Corolla"),
                    "vehicle_year": .number(2019), "channel": .string("sms"),
                ]
            )
        }

        @Test func fieldMapStaticFieldsMethodAndHeaderAreConfigurable() throws {
            let config: [String: JSONValue] = [
                "url": .string("https://crm.example.com/v2/leads?src=lr"), "method": .string("put"),
                "auth_header": .string("X-API-Key"), "headers": .object(["X-Tenant": .string("acme")]),
                "field_map": .object([
                    "email": .string("contact.email"), "first_name": .string("contact.first"),
                    "Vehicle Make": .string("car.make"), "notes": .string(""),
                ]),
                "static_fields": .object(["campaign": .string("spring"), "contact": .object(["opt_in": .bool(true)])]),
            ]
            let destination = F.destination(.http, config: config, baseURL: "http://127.0.0.1:8123")
            let request = try DestinationRequestBuilder.build(lead: F.lead, destination: destination, secret: F.secret)
            #expect(request.method == .PUT)
            #expect(request.url == "http://127.0.0.1:8123/v2/leads?src=lr")
            #expect(request.headers.first(name: "X-API-Key") == F.secret)
            #expect(request.headers.first(name: "Authorization") == nil)
            #expect(request.headers.first(name: "X-Tenant") == "acme")
            #expect(
                F.body(request) == [
                    "contact": .object(["email": .string("jane@example.com"), "first": .string("Jane"), "opt_in": .bool(true)]),
                    "car": .object(["make": .string("Toyota")]), "campaign": .string("spring"),
                ]
            )
        }

        @Test func httpPresetSendsTheStandardFieldsAndExtra() throws {
            let request = try DestinationRequestBuilder.build(lead: F.emailOnlyLead, destination: F.destination(.http), secret: nil)
            #expect(request.headers.first(name: "Authorization") == nil)
            let body = F.body(request)
            #expect(body["email"] == .string("solo@example.com"))
            #expect(body["lead_id"] == .number(7))
            #expect(body["received_at"] != nil)
            #expect(body["extra"] == nil)
            let full = F.body(try DestinationRequestBuilder.build(lead: F.lead, destination: F.destination(.http), secret: nil))
            #expect(full["extra"] == .object(F.lead.extra))
            #expect(full["phone"] == .string("+12015550291"))
            #expect(full["phone_raw"] == nil)
        }

        @Test func theSecretCanTravelInTheBody() throws {
            let config: [String: JSONValue] = ["url": .string("https://x.example.com/in"), "auth_body_field": .string("auth.key")]
            let request = try DestinationRequestBuilder.build(
                lead: F.lead,
                destination: F.destination(.npa, config: config),
                secret: F.secret
            )
            #expect(request.headers.first(name: "Authorization") == nil)
            #expect(F.body(request)["auth"] == .object(["key": .string(F.secret)]))
            #expect(!request.redactedDescription.contains(F.secret))
        }

        @Test(
            "cannot be sent",
            arguments: [
                (["field_map": .object([:])], F.secret as String?, DeliveryBuildError.configuration("NPA destination has no url in its config")),
                (["url": .string("ftp://x.example.com")], F.secret, .configuration("NPA destination URL is not an absolute http(s) URL")),
                (
                    ["url": .string("https://x.example.com"), "method": .string("DELETE")], F.secret,
                    .configuration("NPA config method must be POST, PUT or PATCH, not DELETE")
                ),
                (
                    ["url": .string("https://x.example.com"), "required_fields": .array([.string("vehicle_vin")])], F.secret,
                    .invalidLead("NPA destination requires vehicle_vin; the lead has none")
                ),
                (
                    ["url": .string("https://x.example.com"), "auth_header": .string("X-Key")], nil,
                    .configuration("NPA destination has no credential for its configured authentication (set one with --secret)")
                ),
                (
                    ["url": .string("https://x.example.com"), "success_statuses": .array([.string("2yy")])], F.secret,
                    .configuration("NPA config success_statuses has 2yy; use codes like 200 or classes like 2xx")
                ),
            ] as [([String: JSONValue], String?, DeliveryBuildError)]
        )
        func cannotBeSent(config: [String: JSONValue], secret: String?, expected: DeliveryBuildError) {
            #expect(throws: expected) {
                try DestinationRequestBuilder.build(lead: F.lead, destination: F.destination(.npa, config: config), secret: secret)
            }
        }
    }
}
