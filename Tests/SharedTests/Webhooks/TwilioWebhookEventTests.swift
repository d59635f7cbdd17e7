import Foundation
import Shared
import Testing

@Suite("Webhook payloads: Twilio messaging")
struct TwilioWebhookEventTests {
    /// An inbound SMS with the parameters of the reference's §2.5 (Hebrew and emoji in the body).
    static let inboundBody =
        "ToCountry=US&ToState=CA&SmsMessageSid=SM5b6a4f7e0c1d2e3f4a5b6c7d8e9f0a1b&NumMedia=0&ToCity=&FromZip=&"
        + "SmsSid=SM5b6a4f7e0c1d2e3f4a5b6c7d8e9f0a1b&FromState=&SmsStatus=received&FromCity=&"
        + "Body=%D7%A9%D7%9C%D7%95%D7%9D+%F0%9F%91%8B%F0%9F%8F%BD&FromCountry=IL&To=%2B15017122661&"
        + "MessagingServiceSid=MG0123456789abcdef0123456789abcdef&ToZip=&NumSegments=1&"
        + "MessageSid=SM5b6a4f7e0c1d2e3f4a5b6c7d8e9f0a1b&AccountSid=AC0123456789abcdef0123456789abcdef&"
        + "From=%2B972501234567&ApiVersion=2010-04-01"

    /// A status callback with the parameters of the reference's §2.6.
    static let undeliveredBody =
        "SmsSid=SM9f8e7d6c5b4a39281706f5e4d3c2b1a0&SmsStatus=undelivered&MessageStatus=undelivered&"
        + "To=%2B972501234567&MessagingServiceSid=MG0123456789abcdef0123456789abcdef&"
        + "MessageSid=SM9f8e7d6c5b4a39281706f5e4d3c2b1a0&AccountSid=AC0123456789abcdef0123456789abcdef&"
        + "From=%2B15017122661&ApiVersion=2010-04-01&ErrorCode=30006&RawDlrDoneDate=2601061512"

    @Test func anInboundMessage() throws {
        let event = try TwilioWebhookEvent(formBody: Array(Self.inboundBody.utf8))
        let expected = TwilioInboundMessage(
            messageSid: "SM5b6a4f7e0c1d2e3f4a5b6c7d8e9f0a1b",
            accountSid: "AC0123456789abcdef0123456789abcdef",
            messagingServiceSid: "MG0123456789abcdef0123456789abcdef",
            from: "+972501234567",
            to: "+15017122661",
            body: "שלום 👋🏽",
            numSegments: 1,
            numMedia: 0
        )
        #expect(event == .inbound(expected))
        guard case .inbound(let message) = event else { return }
        // Byte-exact, not canonical equivalence.
        #expect(Array(message.body.utf8) == [0xD7, 0xA9, 0xD7, 0x9C, 0xD7, 0x95, 0xD7, 0x9D, 0x20, 0xF0, 0x9F, 0x91, 0x8B, 0xF0, 0x9F, 0x8F, 0xBD])
        #expect(message.optOutKeyword == nil)
    }

    @Test func aStatusCallback() throws {
        let event = try TwilioWebhookEvent(formBody: Array(Self.undeliveredBody.utf8))
        let expected = TwilioStatusCallback(
            messageSid: "SM9f8e7d6c5b4a39281706f5e4d3c2b1a0",
            messageStatus: "undelivered",
            errorCode: 30006,
            to: "+972501234567",
            from: "+15017122661",
            accountSid: "AC0123456789abcdef0123456789abcdef"
        )
        #expect(event == .status(expected))
        #expect(expected.status == .undelivered)
    }

    @Test func aSignedInboundMessageVerifiesAndParses() throws {
        let url = "https://api.leadrelay.example/hooks/tok_abc"
        let body = Array(Self.inboundBody.utf8)
        let parameters = URLComponents(string: "?" + Self.inboundBody.replacingOccurrences(of: "+", with: "%20"))?.queryItems ?? []
        let signature = WebhookSignatures.twilioSignature(
            url: url,
            parameters: parameters.map { ($0.name, $0.value ?? "") },
            authToken: "tw-token"
        )
        try WebhookSignatures.verifyTwilio(url: url, body: body, header: signature, authToken: "tw-token")
        #expect(throws: WebhookRejection.self) {
            try WebhookSignatures.verifyTwilio(url: url, body: body + Array("&Body=STOP".utf8), header: signature, authToken: "tw-token")
        }
    }

    @Test(arguments: [
        // A delivered report without an error code; an empty ErrorCode is none.
        ("MessageSid=SM1&MessageStatus=delivered&ErrorCode=", TwilioWebhookEvent.status(.init(messageSid: "SM1", messageStatus: "delivered"))),
        // SmsSid stands in for MessageSid.
        ("SmsSid=SM2&MessageStatus=sent", .status(.init(messageSid: "SM2", messageStatus: "sent"))),
        // Body without MessageStatus is inbound even without SmsStatus; an empty body is kept; the first value wins.
        ("MessageSid=SM3&From=%2B1555&To=%2B1666&Body=&Body=second", .inbound(.init(messageSid: "SM3", from: "+1555", to: "+1666", body: ""))),
        // SmsStatus=received without a Body (a picture): inbound with an empty body; OptOutType kept.
        (
            "SmsStatus=received&MessageSid=SM4&From=a&To=b&NumMedia=1&OptOutType=STOP&Unknown=1",
            .inbound(.init(messageSid: "SM4", from: "a", to: "b", body: "", numMedia: 1, optOutType: "STOP"))
        ),
    ])
    func smallBodies(body: String, expected: TwilioWebhookEvent) throws {
        #expect(try TwilioWebhookEvent(formBody: Array(body.utf8)) == expected)
    }

    @Test(arguments: [
        ("", 400, "empty body"),
        (
            "AccountSid=AC1&ApiVersion=2010-04-01",
            422,
            "not a Twilio messaging webhook: expected an inbound message (SmsStatus=received or Body) or a status callback (MessageStatus)"
        ),
        ("SmsStatus=received&From=a&To=b&Body=hi", 422, "inbound message without MessageSid"),
        ("MessageSid=SM1&To=b&Body=hi", 422, "inbound message without From"),
        ("MessageSid=SM1&From=a&Body=hi", 422, "inbound message without To"),
        ("MessageStatus=sent&To=b", 422, "status callback without MessageSid"),
    ])
    func unusableBodiesAreRejected(body: String, status: Int, reason: String) {
        #expect(throws: WebhookRejection.rejected(status, reason)) { try TwilioWebhookEvent(formBody: Array(body.utf8)) }
    }

    @Test func aStopReplyIsAnOptOut() throws {
        let event = try TwilioWebhookEvent(formBody: Array("MessageSid=SM5&From=a&To=b&Body=+Stop%0A".utf8))
        guard case .inbound(let message) = event else {
            Issue.record("expected an inbound message, got \(event)")
            return
        }
        #expect(message.optOutKeyword == OptOutKeyword(message: "STOP"))
        #expect(message.optOutKeyword?.action == .optOut)
    }
}
