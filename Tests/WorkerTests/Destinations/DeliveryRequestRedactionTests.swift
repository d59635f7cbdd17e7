import Foundation
import NIOHTTP1
import Shared
import Testing
import WorkerApp

extension Destinations {
    @Suite("Request redaction")
    struct DeliveryRequestRedactionTests {
        typealias F = DestinationFixtures

        static let destinations: [Destination] = [
            F.destination(.ghl), F.destination(.ghlV1), F.destination(.momence), F.destination(.npa),
            F.destination(.http, config: ["url": .string("https://x.example.com/in"), "auth_header": .string("X-Api-Key")]),
            F.destination(.http, config: ["url": .string("https://x.example.com/in"), "auth_body_field": .string("credentials.token")]),
            F.destination(
                .http,
                config: [
                    "url": .string("https://x.example.com/in"), "auth_header": .string("X-Custom"),
                    "auth_scheme": .string("Token"),
                ]
            ),
        ]

        @Test("the secret never shows in descriptions", arguments: destinations)
        func secretNeverShows(destination: Destination) throws {
            let request = try DestinationRequestBuilder.build(lead: F.lead, destination: destination, secret: F.secret)
            #expect(request.headers.description.contains(F.secret) || request.bodyText.contains(F.secret), "the secret is sent")
            for text in [
                request.redactedDescription, request.description, request.debugDescription, "\(request)",
                String(reflecting: request), dumped(request),
            ] {
                #expect(!text.contains(F.secret), "\(text)")
                #expect(text.contains("[redacted]"))
            }
        }

        @Test func descriptionShowsWhatWouldBeSent() throws {
            let request = try DestinationRequestBuilder.build(lead: F.emailOnlyLead, destination: F.destination(.ghl), secret: F.secret)
            #expect(
                request.redactedDescription == """
                    POST https://services.leadconnectorhq.com/contacts/upsert [Content-Type: application/json; Accept: application/json; \
                    User-Agent: LeadRelay/1; Authorization: Bearer [redacted]; Version: 2021-07-28] \
                    {"email":"solo@example.com","locationId":"ve9EPM428h8vShlRW1KT"}
                    """
            )
        }

        @Test func secretsEscapedInJSONAreMaskedToo() throws {
            let secret = #"tok"en\with/odd"#
            let request = try DestinationRequestBuilder.build(lead: F.emailOnlyLead, destination: F.destination(.momence), secret: secret)
            #expect(F.body(request)["token"] == .string(secret))
            #expect(!request.redactedDescription.contains(#"tok\"en"#))
            #expect(request.redactedDescription.contains(#""token":"[redacted]""#))
        }

        private func dumped(_ request: DeliveryRequest) -> String {
            var text = ""
            dump(request, to: &text)
            return text
        }
    }
}
