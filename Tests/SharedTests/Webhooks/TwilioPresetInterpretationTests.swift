import Foundation
import Shared
import Testing

@Suite("Webhook interpreter: the twilio preset")
struct TwilioPresetInterpretationTests {
    static let token = "0123456789abcdefghijKLMN"
    static let authToken = "auth-token-1"

    static func source(config: [String: JSONValue] = ["public_url": .string("https://relay.example.com/hooks/{token}")]) throws -> Source {
        let fields: [String: JSONValue] = [
            "id": .string(UUID().uuidString), "tenant_id": .string(UUID().uuidString), "name": "sms", "kind": "webhook",
            "preset": "twilio", "token": .string(token), "config": .object(config), "field_map": .object([:]), "has_secrets": true,
            "enabled": true, "destination_ids": .array([]), "created_at": 0,
        ]
        return try JSONDecoder().decode(Source.self, from: JSONEncoder().encode(fields))
    }

    static func request(_ parameters: [(name: String, value: String)], signedWith authToken: String = authToken) -> WebhookRequest {
        let url = "https://relay.example.com/hooks/\(token)"
        let body = parameters.map { "\($0.name)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
        return WebhookRequest(
            method: "POST",
            headers: ["x-twilio-signature": WebhookSignatures.twilioSignature(url: url, parameters: parameters, authToken: authToken)],
            contentType: "application/x-www-form-urlencoded",
            body: Array(body.joined(separator: "&").utf8)
        )
    }

    static var secrets: SourceSecrets {
        var secrets = SourceSecrets()
        secrets.authToken = authToken
        return secrets
    }

    /// The messaging interpretation of `request` for a twilio source with the auth token.
    static func messaging(_ request: WebhookRequest) throws -> (events: [MessagingEvent], externalId: String?, answer: WebhookReplyBody) {
        let interpretation = try WebhookInterpreter.interpret(request, source: try source(), secrets: secrets)
        guard case .messaging(let events, let externalId, let answer) = interpretation else {
            throw WebhookRejection(status: 0, outcome: "test", reason: "not a messaging event: \(interpretation)")
        }
        return (events, externalId, answer)
    }

    @Test func aReplyIsDedupedOnItsSidAndAKeywordOnlyCountsFromAPhone() throws {
        let stop = [("MessageSid", "SM1"), ("From", "+972501234567"), ("To", "+15005550006"), ("Body", "STOP"), ("SmsStatus", "received")]
        let (events, externalId, answer) = try Self.messaging(Self.request(stop))
        #expect(externalId == "SM1")
        #expect(answer == .emptyTwiML)
        let keyword = try #require(OptOutKeyword(message: "STOP"))
        let expected = MessageReply(
            channel: .sms,
            address: "+972501234567",
            sender: "+15005550006",
            providerMessageId: "SM1",
            body: "STOP",
            keyword: keyword
        )
        #expect(events == [.reply(expected)])
    }

    @Test func aStatusIsDedupedOnSidAndStatus() throws {
        let failed = [("MessageSid", "SM2"), ("MessageStatus", "failed"), ("ErrorCode", "30006")]
        let (events, externalId, _) = try Self.messaging(Self.request(failed))
        #expect(externalId == "SM2:failed")
        #expect(events == [.status(MessageStatusReport(channel: .sms, providerMessageId: "SM2", status: .failed, errorCode: "30006"))])
    }

    @Test func aReplaySkipsTheSignatureButAFirstDeliveryNeverDoes() throws {
        let forged = Self.request([("MessageSid", "SM3"), ("From", "+972501234567"), ("To", "+1"), ("Body", "hi")], signedWith: "wrong")
        #expect(throws: WebhookRejection.self) {
            try WebhookInterpreter.interpret(forged, source: try Self.source(), secrets: Self.secrets)
        }
        #expect(throws: WebhookRejection.self) {
            try WebhookInterpreter.interpret(Self.request([("MessageSid", "SM3")]), source: try Self.source(), secrets: SourceSecrets())
        }
        let replayed = try WebhookInterpreter.interpret(forged, source: try Self.source(), secrets: SourceSecrets(), verify: false)
        guard case .messaging = replayed else {
            Issue.record("a replay of a stored event is interpreted without its secret")
            return
        }
    }

    @Test func theAuthTokenIsASecretClearedForReplays() throws {
        var secrets = SourceSecrets()
        try secrets.set("auth_token", "t")
        #expect(secrets.authToken == "t")
        #expect(secrets.namesSet == ["auth_token"])
        #expect(secrets.withoutSigningKeys.authToken == nil)
        #expect(try ConfigurationInput.preset("twilio", kind: .webhook) == .twilio)
    }
}
