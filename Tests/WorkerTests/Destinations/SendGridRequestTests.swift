import Foundation
import NIOHTTP1
import Shared
import TestSupport
import Testing
import WorkerApp

extension Destinations {
    @Suite("SendGrid request builder and classification")
    struct SendGridRequestTests {
        typealias F = DestinationFixtures
        static let config: [String: JSONValue] = [
            "from": .string("leads@studio.example"), "from_name": .string("Studio"), "reply_to": .string("replies@in.studio.example"),
            "subject": .string("שלום {{first_name}} 👋🏽"),
            "text": .string("Hi {{first_name}} & welcome to {{tenant_name}} <3"),
            "html": .string("<p>Hi {{first_name}} &amp; welcome to {{tenant_name}}</p>"),
        ]

        static func build(_ lead: DeliveryLead, config: [String: JSONValue] = config) throws(DeliveryBuildError) -> DeliveryRequest {
            try DestinationRequestBuilder.build(lead: lead, destination: F.destination(.sendGrid, config: config), secret: F.secret)
        }

        static func items(_ value: JSONValue?) -> [JSONValue] {
            if case .array(let items)? = value { return items }
            return []
        }

        @Test func aMailIsTheBodySendGridExpectsWithTheTextByteExact() throws {
            var lead = F.lead
            lead.firstName = "דָּנִי"
            lead.tenantName = "Studio <A&B>"
            lead.deliveryId = 991
            let request = try Self.build(lead)
            #expect(request.url == "https://api.sendgrid.com/v3/mail/send")
            #expect(request.method == .POST)
            #expect(request.headers.first(name: "Authorization") == "Bearer \(F.secret)")
            #expect(request.headers.first(name: "Content-Type") == "application/json")
            let body = F.body(request)
            #expect(Set(body.keys) == ["personalizations", "from", "reply_to", "subject", "content", "headers", "categories"])
            let personalization = try #require(Self.items(body["personalizations"]).first?.objectMembers)
            #expect(personalization["to"] == .array([.object(["email": "jane@example.com", "name": "דָּנִי Doe"])]))
            #expect(personalization["custom_args"] == .object(["delivery_id": "991", "lead_id": "42"]))
            #expect(body["from"] == .object(["email": "leads@studio.example", "name": "Studio"]))
            #expect(body["reply_to"] == .object(["email": "replies@in.studio.example"]))
            #expect(Array(body["subject"]?.scalarText?.utf8 ?? "".utf8) == Array("שלום דָּנִי 👋🏽".utf8))
            let content = Self.items(body["content"])
            #expect(content.map { $0.objectMembers?["type"] } == [.string("text/plain"), .string("text/html")])
            #expect(content.first?.objectMembers?["value"] == .string("Hi דָּנִי & welcome to Studio <A&B> <3"), "text is not escaped")
            #expect(
                content.last?.objectMembers?["value"] == .string("<p>Hi דָּנִי &amp; welcome to Studio &lt;A&amp;B&gt;</p>"),
                "values in the HTML part are escaped"
            )
            #expect(body["headers"] == .object(["List-Unsubscribe": "<mailto:replies@in.studio.example?subject=unsubscribe>"]))
            #expect(body["categories"] == .array(["leadrelay"]))
            #expect(!request.redactedDescription.contains(F.secret))
            let message = try #require(request.message)
            #expect(message.channel == .email && message.recipient == "jane@example.com" && message.sender == "leads@studio.example")
        }

        @Test func aTemplateKeepsItsLineBreaksAndSpacesExactly() throws {
            var config = Self.config
            config["text"] = .string("  Hi {{first_name}},\n\nSee you.\n")
            let request = try Self.build(F.lead, config: config)
            let value = Self.items(F.body(request)["content"]).first?.objectMembers?["value"]?.scalarText
            #expect(value.map { Array($0.utf8) } == Array("  Hi Jane,\n\nSee you.\n".utf8))
        }

        @Test func aLeadWithoutAnEmailIsSkipped() {
            #expect(throws: DeliveryBuildError.noAddress("email needs an email address; the lead has none")) {
                try Self.build(F.phoneOnlyLead)
            }
        }

        @Test(arguments: [
            BadConfig(change: ["subject": .string("Hi {{frist_name}}")], message: "unknown field {{frist_name}}"),
            BadConfig(change: ["html": .string("{{#first_name}}x")], message: "html"),
            BadConfig(change: ["from": .string("not an address")], message: "from must be a plain email address"),
            BadConfig(change: ["reply_to": .string("a@b")], message: "reply_to must be a plain email address"),
            BadConfig(change: ["text": nil], message: "text"),
            BadConfig(change: ["subject": nil], message: "subject"),
            BadConfig(change: ["from_name": .string("A\nBcc: x@y.z")], message: "from_name must be one line"),
        ])
        func aBadConfigIsRefusedWhenSavedWithTheField(_ example: BadConfig) throws {
            try F.expectRefused(example, kind: .sendGrid, base: Self.config)
        }

        struct Answer: Sendable, CustomTestStringConvertible {
            var status: Int
            var headers: [(String, String)] = []
            var body: String = ""
            var outcome: String
            var errorClass: DeliveryErrorClass?
            var testDescription: String { "\(status) → \(outcome) \(errorClass?.rawValue ?? "")" }
        }

        @Test(arguments: [
            Answer(status: 202, headers: [("X-Message-Id", "W0aZ1bC2")], outcome: "succeeded"),
            Answer(
                status: 429,
                headers: [("X-RateLimit-Reset", "RESET")],
                body: #"{"errors":[{"message":"too many requests"}]}"#,
                outcome: "retryable",
                errorClass: .rateLimited
            ),
            Answer(
                status: 401,
                body: #"{"errors":[{"message":"The provided authorization grant is invalid"}]}"#,
                outcome: "retryable",
                errorClass: .credentialRejected
            ),
            Answer(
                status: 403,
                body: #"{"errors":[{"message":"The from address does not match a verified Sender Identity"}]}"#,
                outcome: "retryable",
                errorClass: .credentialRejected
            ),
            Answer(
                status: 400,
                body: #"{"errors":[{"message":"Invalid email","field":"personalizations.0.to"}]}"#,
                outcome: "permanent",
                errorClass: .badRequest
            ),
            Answer(status: 413, outcome: "permanent", errorClass: .clientError),
            Answer(status: 503, outcome: "retryable", errorClass: .serverError),
        ])
        func answersAreClassifiedPerTheReference(_ answer: Answer) {
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            let headers = HTTPHeaders(answer.headers.map { ($0.0, $0.1 == "RESET" ? "1800000090" : $0.1) })
            let response = DeliveryResponse(status: answer.status, headers: headers, body: Array(answer.body.utf8))
            let destination = F.destination(.sendGrid, config: Self.config)
            let adapter = DestinationRegistry.adapter(for: .sendGrid)
            let outcome = adapter?.classify(
                response,
                destination: destination,
                scrubber: SecretScrubber(secret: F.secret),
                excerptLimit: 1_024,
                now: now
            )
            #expect(outcome?.name == answer.outcome, "\(String(describing: outcome))")
            #expect(outcome?.errorClass == answer.errorClass)
            if answer.status == 202 { #expect(outcome?.externalId == "W0aZ1bC2") }
            if answer.status == 429 { #expect(outcome?.retryAfter == .seconds(90), "waits until X-RateLimit-Reset") }
            if answer.status == 401 { #expect(outcome?.reason?.contains("replace the credential") == true) }
        }
    }
}
