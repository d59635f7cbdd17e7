import Foundation
import NIOHTTP1
import Shared
import TestSupport
import Testing
import WorkerApp

extension Destinations {
    @Suite("Twilio SMS request builder and classification")
    struct TwilioSMSRequestTests {
        typealias F = DestinationFixtures
        static let account = "AC0123456789abcdef0123456789abcdef"
        static let config: [String: JSONValue] = [
            "account_sid": .string(account), "from": .string("+15017122661"),
            "body": .string("שלום {{first_name}} 👋🏽 👨‍👩‍👧 from {{tenant_name}}"),
            "status_callback_url": .string("https://leads.example.com/hooks/tok"),
        ]

        static func build(_ lead: DeliveryLead, config: [String: JSONValue] = config) throws(DeliveryBuildError) -> DeliveryRequest {
            try DestinationRequestBuilder.build(lead: lead, destination: F.destination(.twilioSMS, config: config), secret: F.secret)
        }

        @Test func aMessageIsTheFormTwilioExpectsWithTheTextByteExact() throws {
            var lead = F.lead
            lead.firstName = "דָּנִי"
            lead.tenantName = "Studio"
            lead.deliveryId = 991
            let request = try Self.build(lead)
            let recorded = RecordedRequest(
                method: request.method.rawValue,
                path: String(request.url.dropFirst("https://api.twilio.com".count)),
                query: nil,
                headers: request.headers.map { ($0.name, $0.value) },
                body: request.body
            )
            #expect(request.url == "https://api.twilio.com/2010-04-01/Accounts/\(Self.account)/Messages.json")
            #expect(TwilioRequestCheck.problems(recorded, accountSid: Self.account, authToken: F.secret) == [])
            let fields = TwilioRequestCheck.formFields(request.body)
            #expect(fields.map(\.name) == ["To", "From", "Body", "StatusCallback"])
            #expect(TwilioRequestCheck.field("To", in: request.body) == "+12015550291")
            let expected = "שלום דָּנִי 👋🏽 👨‍👩‍👧 from Studio"
            #expect(Array(TwilioRequestCheck.field("Body", in: request.body)?.utf8 ?? "".utf8) == Array(expected.utf8))
            #expect(request.headers.first(name: "I-Twilio-Idempotency-Token") == "leadrelay-d991")
            #expect(!request.bodyText.contains(F.secret) && !request.redactedDescription.contains(F.secret))
            let message = try #require(request.message)
            #expect(message.channel == .sms && message.recipient == "+12015550291" && message.sender == "+15017122661")
            #expect(message.segments?.encoding == .ucs2)
            #expect(message.segments?.count == 1)
        }

        @Test func aMessagingServiceReplacesFrom() throws {
            var config = Self.config
            config["from"] = nil
            config["messaging_service_sid"] = .string("MG0123456789abcdef0123456789abcdef")
            config["status_callback_url"] = nil
            config["body"] = .string(String(repeating: "a", count: 161))
            let request = try Self.build(F.lead, config: config)
            #expect(TwilioRequestCheck.formFields(request.body).map(\.name) == ["To", "MessagingServiceSid", "Body"])
            #expect(request.message?.segments?.encoding == .gsm7)
            #expect(request.message?.segments?.count == 2)
        }

        struct Unreachable: Sendable, CustomTestStringConvertible {
            var lead: DeliveryLead
            var reason: String
            var testDescription: String { reason }
        }

        @Test(arguments: [
            Unreachable(lead: DeliveryLead(id: 1, email: "no-phone@example.com"), reason: "SMS needs a phone; the lead has none"),
            Unreachable(
                lead: DeliveryLead(id: 2, email: "x@example.com", phone: nil, phoneRaw: "12"),
                reason: "SMS needs a phone in E.164; the lead's phone could not be normalized"
            ),
        ])
        func aLeadWithoutAUsablePhoneIsSkippedNotDead(_ example: Unreachable) {
            #expect(throws: DeliveryBuildError.noAddress(example.reason)) { try Self.build(example.lead) }
            #expect(DeliveryBuildError.noAddress(example.reason).outcome == .skipped(reason: example.reason, errorClass: .noAddress))
        }

        @Test(arguments: [
            BadConfig(change: ["body": .string("Hi {{frist_name}}")], message: "unknown field {{frist_name}}"),
            BadConfig(change: ["messaging_service_sid": .string("MG1")], message: "from or messaging_service_sid, not both"),
            BadConfig(change: ["from": nil], message: "needs from"),
            BadConfig(change: ["from": .string("0501234567")], message: "E.164"),
            BadConfig(change: ["account_sid": .string("XX12")], message: "account_sid"),
            BadConfig(change: ["body": nil], message: "body"),
            BadConfig(change: ["status_callback_url": .string("not a url")], message: "status_callback_url"),
        ])
        func aBadConfigIsRefusedWhenSavedWithTheField(_ example: BadConfig) throws {
            try F.expectRefused(example, kind: .twilioSMS, base: Self.config)
        }

        struct Answer: Sendable, CustomTestStringConvertible {
            var status: Int
            var body: String
            var outcome: String
            var errorClass: DeliveryErrorClass?
            var testDescription: String { "\(status) \(body.prefix(20)) → \(outcome)" }
        }

        @Test(arguments: [
            Answer(status: 201, body: #"{"sid":"SM1","status":"queued"}"#, outcome: "succeeded", errorClass: nil),
            Answer(
                status: 400,
                body: #"{"code":21211,"message":"The 'To' number is not valid","status":400}"#,
                outcome: "permanent",
                errorClass: .invalidLead
            ),
            Answer(
                status: 400,
                body: #"{"code":21610,"message":"Attempt to send to unsubscribed recipient","status":400}"#,
                outcome: "permanent",
                errorClass: .optedOut
            ),
            Answer(status: 429, body: #"{"code":20429,"message":"Too Many Requests","status":429}"#, outcome: "retryable", errorClass: .rateLimited),
            Answer(status: 400, body: #"{"code":21611,"message":"queue full","status":400}"#, outcome: "retryable", errorClass: .rateLimited),
            Answer(
                status: 400,
                body: #"{"code":21408,"message":"Permission to send an SMS has not been enabled","status":400}"#,
                outcome: "permanent",
                errorClass: .configuration
            ),
            Answer(status: 503, body: "", outcome: "retryable", errorClass: .serverError),
            Answer(status: 201, body: #"{"status":"queued"}"#, outcome: "permanent", errorClass: .unexpectedResponse),
        ])
        func answersAreClassifiedByTwilioCode(_ answer: Answer) {
            let response = DeliveryResponse(status: answer.status, headers: HTTPHeaders(), body: Array(answer.body.utf8))
            let outcome = DeliveryClassifier.classify(response, destination: F.destination(.twilioSMS, config: Self.config))
            #expect(outcome.name == answer.outcome, "\(outcome)")
            #expect(outcome.errorClass == answer.errorClass)
            if answer.outcome == "succeeded" { #expect(outcome.externalId == "SM1") }
            if answer.body.contains("21611") { #expect((outcome.retryAfter ?? .zero) >= .seconds(600)) }
        }

        @Test func theRecipientsPhoneIsMaskedInLoggedRequests() throws {
            let sms = try Self.build(F.lead)
            #expect(!sms.redactedDescription.contains("12015550291"), "\(sms.redactedDescription)")
            #expect(sms.redactedDescription.contains("To=%2B•••••••••91"))
            let whatsApp = try DestinationRequestBuilder.build(
                lead: F.lead,
                destination: F.destination(
                    .whatsApp,
                    config: ["phone_number_id": .string("1065"), "template": .string("t")]
                ),
                secret: F.secret
            )
            #expect(!whatsApp.redactedDescription.contains("12015550291"), "\(whatsApp.redactedDescription)")
        }
    }
}
