import Foundation
import Shared
import Testing
import WorkerApp

extension Destinations {
    @Suite("Destination registry")
    struct DestinationRegistryTests {
        typealias F = DestinationFixtures

        @Test func listsTheKindsInOrder() {
            #expect(
                DestinationRegistry.kinds.map(\.rawValue) == [
                    "ghl", "ghl_v1", "momence", "npa", "http", "whatsapp", "twilio_sms", "sendgrid", "smtp", "monday_status", "ghl_tags",
                ]
            )
            #expect(DestinationKind.allCases == DestinationRegistry.kinds)
            #expect(
                DestinationRegistry.kindList == "ghl, ghl_v1, momence, npa, http, whatsapp, twilio_sms, sendgrid, smtp, monday_status or ghl_tags"
            )
            #expect(
                DestinationRegistry.kinds.map(\.displayName) == [
                    "GoHighLevel", "GoHighLevel v1", "Momence", "NPA", "HTTP", "WhatsApp", "Twilio SMS", "SendGrid", "SMTP", "Monday status",
                    "GoHighLevel tags",
                ]
            )
        }

        @Test("kind ↔ raw value ↔ adapter ↔ display name", arguments: DestinationRegistry.kinds)
        func roundTrips(_ kind: DestinationKind) throws {
            #expect(DestinationKind(rawValue: kind.rawValue) == kind)
            let adapter = try #require(DestinationRegistry.adapter(for: kind))
            #expect(adapter.kind == kind)
            #expect(kind.displayName == adapter.displayName)
            #expect(DestinationRegistry.kinds.filter { $0.displayName == adapter.displayName } == [kind])
            let encoded = try JSONEncoder().encode(kind)
            #expect(String(decoding: encoded, as: UTF8.self) == "\"\(kind.rawValue)\"")
            #expect(try JSONDecoder().decode(DestinationKind.self, from: encoded) == kind)
            #expect(try ConfigurationInput.destinationKind(kind.rawValue) == kind)
        }

        @Test("every adapter accepts its example config and delivers with it", arguments: DestinationRegistry.kinds)
        func validatesItsExampleConfig(_ kind: DestinationKind) throws {
            let adapter = try #require(DestinationRegistry.adapter(for: kind))
            try adapter.validate(config: adapter.exampleConfig)
            #expect(try ConfigurationInput.destinationConfig(adapter.exampleConfig, kind: kind) == adapter.exampleConfig)
            // A monday status is written to the item the lead came from: a lead from the monday webhook.
            let lead = kind == .mondayStatus ? F.mondayLead : F.lead
            let request = try adapter.request(for: lead, to: F.destination(kind, config: adapter.exampleConfig), secret: F.secret)
            #expect(request.url.hasPrefix(kind == .smtp ? "smtp://" : "https://"))
            let fieldNames = adapter.configFields.flatMap(\.spellings)
            #expect(Set(fieldNames).count == fieldNames.count, "no spelling belongs to two fields")
        }

        @Test func anUnknownKindIsRefusedClearly() {
            #expect(DestinationKind(rawValue: "salesforce") == nil)
            let expected = "must be ghl, ghl_v1, momence, npa, http, whatsapp, twilio_sms, sendgrid, smtp, monday_status or ghl_tags"
            #expect(throws: StoreError.invalid(field: "kind", message: expected)) {
                try ConfigurationInput.destinationKind("salesforce")
            }
            #expect(throws: DecodingError.self) { try JSONDecoder().decode(DestinationKind.self, from: Data(#""salesforce""#.utf8)) }
        }

        @Test(
            "a config the adapter does not accept names the field",
            arguments: [
                (
                    DestinationKind.ghl, ["locationId": "loc", "colour": "red"] as [String: JSONValue],
                    "GoHighLevel config has no field colour; it takes locationId, country, source, tags, custom_fields, contact_fields"
                ),
                (.ghl, ["tags": "vip"], "GoHighLevel destination has no locationId in its config"),
                (.ghl, ["locationId": "loc", "tags": ["a": "b"]], "GoHighLevel config tags must be a list of strings"),
                (
                    .ghlV1, ["contact_fields": ["colour": "extra.colour"]],
                    "GoHighLevel v1 config contact_fields.colour is not a contact property GoHighLevel accepts"
                ),
                (.momence, ["hostId": "1", "sourceId": "seven"], "Momence config sourceId must be an integer"),
                (.momence, ["sourceId": 7], "Momence destination has no hostId in its config"),
                (.http, ["url": "https://x.example.com", "method": "DELETE"], "HTTP config method must be POST, PUT or PATCH, not DELETE"),
                (.http, ["url": "https://x.example.com", "include_extra": "no"], "HTTP config include_extra must be true or false"),
                (
                    .npa, ["url": "https://x.example.com", "include_extra": true],
                    "NPA config has no field include_extra; it takes url, method, headers, auth_header, auth_scheme, auth_body_field, "
                        + "field_map, static_fields, required_fields, success_statuses, success_match, external_id_path"
                ),
                (
                    .npa, ["url": "https://x.example.com", "success_statuses": ["ok"]],
                    "NPA config success_statuses has ok; use codes like 200 or classes like 2xx"
                ),
            ] as [(DestinationKind, [String: JSONValue], String)]
        )
        func refusesConfig(_ kind: DestinationKind, _ config: [String: JSONValue], _ reason: String) {
            #expect(throws: DeliveryBuildError.configuration(reason)) {
                try DestinationRegistry.adapter(for: kind)?.validate(config: config)
            }
            #expect(throws: StoreError.invalid(field: "config", message: reason)) {
                try ConfigurationInput.destinationConfig(config, kind: kind)
            }
        }

        @Test func eitherSpellingOfAFieldIsAccepted() throws {
            try DestinationRegistry.adapter(for: .ghl)?.validate(config: ["location_id": "loc", "customFields": ["Goal": "cf-1"]])
            try DestinationRegistry.adapter(for: .momence)?.validate(config: ["host_id": 9, "source_id": "7", "country_code": "us"])
        }

        @Test(
            "new destinations get their kind's policy",
            arguments: [
                (DestinationKind.ghl, ["locationId": "loc-1"] as [String: JSONValue], "ghl:loc-1", 100, 10_000, nil as [Int]?, 8),
                (.ghlV1, [:], "ghl:Acme", 100, 10_000, nil, 8),
                (.momence, ["hostId": "77"], "momence:77", 1, 3_000, [3_600, 14_400, 86_400, 86_400], 5),
                (.npa, ["url": "https://npa.example.com/leads"], "npa:npa.example.com", nil, nil, nil, 8),
                (.http, [:], "http:Acme", nil, nil, nil, 8),
            ] as [(DestinationKind, [String: JSONValue], String, Int?, Int?, [Int]?, Int)]
        )
        func defaultPolicy(
            _ kind: DestinationKind,
            _ config: [String: JSONValue],
            _ accountKey: String,
            _ requests: Int?,
            _ interval: Int?,
            _ schedule: [Int]?,
            _ attempts: Int
        ) {
            let destination = Destination.withDefaults(tenantId: UUID(), name: "Acme", kind: kind, config: config)
            #expect(destination.accountKey == accountKey)
            #expect(destination.rateLimitRequests == requests)
            #expect(destination.rateLimitIntervalMilliseconds == interval)
            #expect(destination.retryScheduleSeconds == schedule)
            #expect(destination.maxAttempts == attempts)
            #expect(destination.timeoutMilliseconds == 10_000)
        }
    }
}
