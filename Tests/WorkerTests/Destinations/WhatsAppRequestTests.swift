import Foundation
import NIOHTTP1
import Shared
import TestSupport
import Testing
import WorkerApp

extension Destinations {
    @Suite("WhatsApp request builder and classification")
    struct WhatsAppRequestTests {
        typealias F = DestinationFixtures
        static let config: [String: JSONValue] = [
            "phone_number_id": .string("106540352242922"), "template": .string("lead_welcome"), "language": .string("he"),
            "parameters": .array([.string("{{first_name}}"), .string("{{tenant_name}}")]),
            "text": .string("היי {{first_name}}, קיבלנו 👍"),
        ]

        static func build(_ lead: DeliveryLead, config: [String: JSONValue] = config) throws(DeliveryBuildError) -> DeliveryRequest {
            try DestinationRequestBuilder.build(lead: lead, destination: F.destination(.whatsApp, config: config), secret: F.secret)
        }

        static var lead: DeliveryLead {
            var lead = DeliveryLead(id: 5, firstName: "דָּנִי", phone: "+972501234567")
            lead.tenantName = "סטודיו 👟"
            lead.deliveryId = 77
            return lead
        }

        @Test func aLeadWhoNeverWroteGetsTheTemplateWithItsParametersByteExact() throws {
            let request = try Self.build(Self.lead)
            #expect(request.url == "https://graph.facebook.com/v21.0/106540352242922/messages")
            #expect(request.headers.first(name: "Authorization") == "Bearer \(F.secret)")
            let body = F.body(request)
            #expect(body["messaging_product"] == "whatsapp" && body["to"] == "972501234567" && body["type"] == "template")
            #expect(body["biz_opaque_callback_data"] == "d:77")
            let template = try #require(body["template"]?.objectMembers)
            #expect(template["name"] == "lead_welcome")
            #expect(template["language"] == .object(["code": "he"]))
            guard case .array(let components)? = template["components"], case .array(let parameters)? = components.first?.objectMembers?["parameters"]
            else {
                Issue.record("no body parameters in \(template)")
                return
            }
            let texts = parameters.compactMap { $0.objectMembers?["text"]?.scalarText }
            #expect(texts.map { Array($0.utf8) } == [Array("דָּנִי".utf8), Array("סטודיו 👟".utf8)])
            #expect(request.message?.recipientRateLimit?.key == "whatsapp-pair:106540352242922:+972501234567")
            #expect(request.message?.recipientRateLimit?.intervalMilliseconds == 6_000)
        }

        @Test func freeTextOnlyWhileTheLeadsWindowIsOpen() throws {
            var lead = Self.lead
            lead.lastWhatsAppMessageAt = Date().addingTimeInterval(-23 * 3600)
            let inside = F.body(try Self.build(lead))
            #expect(inside["type"] == "text")
            #expect(Array((inside["text"]?.objectMembers?["body"]?.scalarText ?? "").utf8) == Array("היי דָּנִי, קיבלנו 👍".utf8))
            lead.lastWhatsAppMessageAt = Date().addingTimeInterval(-25 * 3600)
            #expect(F.body(try Self.build(lead))["type"] == "template", "the window closed after 24 h")
            var textOnly = Self.config
            textOnly["template"] = nil
            #expect(throws: DeliveryBuildError.configuration("outside the 24 h window WhatsApp allows only an approved template: configure template"))
            {
                try Self.build(Self.lead, config: textOnly)
            }
        }

        @Test func anEmptyParameterFailsTheLeadAndAMissingPhoneSkipsIt() {
            var lead = Self.lead
            lead.firstName = nil
            #expect(throws: DeliveryBuildError.invalidLead("WhatsApp template parameter 1 ({{first_name}}) is empty for this lead")) {
                try Self.build(lead)
            }
            #expect(throws: DeliveryBuildError.noAddress("WhatsApp needs a phone; the lead has none")) {
                try Self.build(DeliveryLead(id: 1, email: "x@example.com"))
            }
        }

        struct Answer: Sendable, CustomTestStringConvertible {
            var code: Int
            var outcome: String
            var errorClass: DeliveryErrorClass
            var testDescription: String { "\(code) → \(outcome) \(errorClass)" }
        }

        @Test(arguments: [
            Answer(code: 131026, outcome: "permanent", errorClass: .invalidLead),
            Answer(code: 131050, outcome: "permanent", errorClass: .optedOut),
            Answer(code: 131051, outcome: "permanent", errorClass: .invalidLead),
            Answer(code: 131047, outcome: "permanent", errorClass: .configuration),
            Answer(code: 132001, outcome: "permanent", errorClass: .configuration),
            Answer(code: 130429, outcome: "retryable", errorClass: .rateLimited),
            Answer(code: 131056, outcome: "retryable", errorClass: .rateLimited),
            Answer(code: 131057, outcome: "retryable", errorClass: .serverError),
            Answer(code: 190, outcome: "retryable", errorClass: .credentialRejected),
            Answer(code: 368, outcome: "retryable", errorClass: .accountBlocked),
        ])
        func graphErrorsAreClassifiedByCode(_ answer: Answer) {
            let response = DeliveryResponse(
                status: answer.code == 190 ? 401 : 400,
                text: #"{"error":{"message":"m","type":"OAuthException","code":\#(answer.code),"error_data":{"details":"d"}}}"#
            )
            let outcome = DeliveryClassifier.classify(response, destination: F.destination(.whatsApp, config: Self.config))
            #expect(outcome.name == answer.outcome, "\(outcome)")
            #expect(outcome.errorClass == answer.errorClass)
            if answer.code == 131047 { #expect(outcome.reason?.contains("send a template") == true) }
            if answer.code == 131056 { #expect((outcome.retryAfter ?? .zero) >= .seconds(30)) }
        }

        @Test func anAcceptedMessageKeepsTheWamidAsItsExternalId() {
            let response = DeliveryResponse(
                status: 200,
                text: #"{"messaging_product":"whatsapp","contacts":[{"input":"1","wa_id":"1"}],"messages":[{"id":"wamid.X1"}]}"#
            )
            #expect(DeliveryClassifier.classify(response, destination: F.destination(.whatsApp, config: Self.config)).externalId == "wamid.X1")
        }

        @Test(arguments: [
            (["phone_number_id": .string("+1 555")] as [String: JSONValue], "numeric id"),
            (["phone_number_id": .string("1065")] as [String: JSONValue], "needs a template"),
            (["phone_number_id": .string("1065"), "template": .string("bad name!")] as [String: JSONValue], "template must be"),
            (
                ["phone_number_id": .string("1065"), "template": .string("t"), "parameters": .array([.string("{{frist_name}}")])]
                    as [String: JSONValue], "parameters[0]: unknown field"
            ),
        ])
        func aBadConfigIsRefusedWhenSaved(_ config: [String: JSONValue], _ message: String) throws {
            let adapter = try #require(DestinationRegistry.adapter(for: .whatsApp))
            do {
                try adapter.validate(config: config)
                Issue.record("accepted \(config)")
            } catch {
                #expect(error.reason.contains(message), "\(error.reason)")
            }
        }
    }
}
