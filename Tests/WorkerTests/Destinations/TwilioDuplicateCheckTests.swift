import Foundation
import NIOHTTP1
import Shared
import TestSupport
import Testing
import WorkerApp

extension Destinations {
    @Suite("Twilio duplicate check")
    struct TwilioDuplicateCheckTests {
        typealias F = DestinationFixtures
        static let account = "AC0123456789abcdef0123456789abcdef"
        static let body = "שלום {{first_name}} 👋🏽"
        static let rendered = "שלום Jane 👋🏽"
        /// 2026-12-07 14:00:00 UTC.
        static let since = Date(timeIntervalSince1970: 1_796_652_000)

        static func check(config: [String: JSONValue], since: Date = since) throws -> DuplicateCheck {
            let destination = F.destination(.twilioSMS, config: config)
            let adapter = try #require(DestinationRegistry.adapter(for: .twilioSMS))
            let request = try adapter.request(for: F.lead, to: destination, secret: F.secret)
            return try #require(adapter.duplicateCheck(since: since, sending: request, to: destination, secret: F.secret))
        }

        static let fromNumber: [String: JSONValue] = ["account_sid": .string(account), "from": .string("+15017122661"), "body": .string(body)]

        @Test func theCheckListsTheNewestMessagesToTheNumberFromTheSender() throws {
            let check = try Self.check(config: Self.fromNumber)
            #expect(check.request.method == .GET)
            #expect(
                check.request.url
                    == "https://api.twilio.com/2010-04-01/Accounts/\(Self.account)/Messages.json"
                    + "?To=%2B12015550291&From=%2B15017122661&PageSize=50"
            )
            let basic = "Basic " + Data("\(Self.account):\(F.secret)".utf8).base64EncodedString()
            #expect(check.request.headers.first(name: "Authorization") == basic)
            #expect(check.request.body.isEmpty)
            #expect(!check.request.redactedDescription.contains(F.secret))
        }

        @Test func aMessagingServiceFiltersByToOnly() throws {
            let config: [String: JSONValue] = [
                "account_sid": .string(Self.account), "messaging_service_sid": .string("MG0123456789abcdef0123456789abcdef"),
                "body": .string(Self.body), "api_base_url": .string("http://127.0.0.1:9"),
            ]
            // Not filtered by DateSent: a message still queued at Twilio has no send date yet.
            let check = try Self.check(config: config, since: Date(timeIntervalSince1970: 1_796_601_630))
            #expect(
                check.request.url
                    == "http://127.0.0.1:9/2010-04-01/Accounts/\(Self.account)/Messages.json?To=%2B12015550291&PageSize=50"
            )
        }

        static func listed(
            _ sid: String,
            body: String = rendered,
            to: String = "+12015550291",
            at offset: TimeInterval,
            inbound: Bool = false
        )
            -> StandInAnswer.TwilioListedMessage
        {
            StandInAnswer.TwilioListedMessage(
                sid: sid,
                to: to,
                body: body,
                dateCreated: since.addingTimeInterval(offset),
                direction: inbound ? "inbound" : "outbound-api"
            )
        }

        static func response(_ answer: StandInAnswer) -> DeliveryResponse {
            DeliveryResponse(status: answer.status, text: answer.body)
        }

        @Test(
            "reading the list",
            arguments: [
                (
                    "the earliest message with the body byte-exact, created since the attempt less the skew",
                    [listed("SMlater", at: 30), listed("SMfirst", at: -50), listed("SMold", at: -3_600)], nil,
                    DuplicateCheckResult.alreadySent(externalId: "SMfirst")
                ),
                ("another text is another message", [listed("SMtext", body: "שלום Jane", at: 5)], nil, .notSent),
                ("an older message is not the attempt's", [listed("SMold", at: -61)], nil, .notSent),
                ("a reply from the lead is not ours", [listed("SMin", at: 5, inbound: true)], nil, .notSent),
                ("another number is not the lead", [listed("SMother", to: "+12015550292", at: 5)], nil, .notSent),
                (
                    "no match on a page with more after it proves nothing", [listed("SMx", body: "other", at: 5)],
                    "/2010-04-01/Accounts/AC/Messages.json?Page=1",
                    .unknown(reason: "the newest 50 messages to the number do not include it, and there are more")
                ),
                ("an empty list", [], nil, .notSent),
            ] as [(String, [StandInAnswer.TwilioListedMessage], String?, DuplicateCheckResult)]
        )
        func interprets(_ label: String, messages: [StandInAnswer.TwilioListedMessage], nextPage: String?, expected: DuplicateCheckResult) throws {
            let check = try Self.check(config: Self.fromNumber)
            #expect(check.interpret(Self.response(.twilioMessageList(messages, nextPageURI: nextPage))) == expected, "\(label)")
        }

        @Test func theBodyIsComparedByteForByteNotByUnicodeEquivalence() throws {
            var config = Self.fromNumber
            config["body"] = .string("Cafe\u{0301} {{first_name}}")
            let check = try Self.check(config: config)
            let composed = Self.listed("SMcomposed", body: "Caf\u{00E9} Jane", at: 5)
            #expect("Caf\u{00E9} Jane" == "Cafe\u{0301} Jane", "Swift's == would call them equal")
            #expect(check.interpret(Self.response(.twilioMessageList([composed]))) == .notSent)
            let decomposed = Self.listed("SMdecomposed", body: "Cafe\u{0301} Jane", at: 5)
            #expect(check.interpret(Self.response(.twilioMessageList([composed, decomposed]))) == .alreadySent(externalId: "SMdecomposed"))
        }

        @Test func aFailedOrUnreadableAnswerProvesNothing() throws {
            let check = try Self.check(config: Self.fromNumber)
            #expect(check.interpret(Self.response(.serverError(500))) == .unknown(reason: "Twilio answered HTTP 500 to the message list"))
            #expect(check.interpret(DeliveryResponse(status: 200, text: "<html>")) == .unknown(reason: "Twilio's message list could not be read"))
        }

        @Test func channelsWithoutACheckHaveNone() throws {
            let config: [String: JSONValue] = [
                "phone_number_id": .string("106540352242922"), "template": .string("lead_welcome"), "language": .string("he"),
            ]
            let destination = F.destination(.whatsApp, config: config)
            let adapter = try #require(DestinationRegistry.adapter(for: .whatsApp))
            let request = try adapter.request(for: F.lead, to: destination, secret: F.secret)
            #expect(adapter.duplicateCheck(since: Self.since, sending: request, to: destination, secret: F.secret) == nil)
        }
    }
}
