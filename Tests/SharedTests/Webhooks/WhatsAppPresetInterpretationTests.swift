import Foundation
import Shared
import TestSupport
import Testing

@Suite("Webhook interpreter: the whatsapp preset")
struct WhatsAppPresetInterpretationTests {
    static let appSecret = "app-secret-1"
    static let phoneNumberId = "106540352242922"

    static func source() throws -> Source {
        let fields: [String: JSONValue] = [
            "id": .string(UUID().uuidString), "tenant_id": .string(UUID().uuidString), "name": "wa", "kind": "webhook",
            "preset": "whatsapp", "token": "0123456789abcdefghijKLMN", "config": .object([:]), "field_map": .object([:]),
            "has_secrets": true, "enabled": true, "destination_ids": .array([]), "created_at": 0,
        ]
        return try JSONDecoder().decode(Source.self, from: JSONEncoder().encode(fields))
    }

    static func request(_ body: [UInt8], signature: String? = nil) -> WebhookRequest {
        let header = signature ?? MetaWebhookSigner(appSecret: appSecret).signature(of: body)
        return WebhookRequest(method: "POST", headers: ["x-hub-signature-256": header], contentType: "application/json", body: body)
    }

    static func interpret(_ request: WebhookRequest, appSecret: String? = appSecret, verify: Bool = true) throws -> WebhookInterpretation {
        var secrets = SourceSecrets()
        secrets.appSecret = appSecret
        return try WebhookInterpreter.interpret(request, source: try source(), secrets: secrets, verify: verify)
    }

    static func messaging(_ body: [UInt8]) throws -> (events: [MessagingEvent], externalId: String?, answer: WebhookReplyBody) {
        let interpretation = try interpret(request(body))
        guard case .messaging(let events, let externalId, let answer) = interpretation else {
            throw WebhookRejection(status: 0, outcome: "test", reason: "not a messaging event: \(interpretation)")
        }
        return (events, externalId, answer)
    }

    @Test func theReferenceVectorOfMetasSignature() throws {
        // reference §1.3: key "secret", body "test"
        let expected = "sha256=0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914"
        #expect(WebhookSignatures.hexSignature(body: Array("test".utf8), secret: "secret") == expected)
        try WebhookSignatures.verifyMeta(body: Array("test".utf8), header: expected, appSecret: "secret")
    }

    @Test func aTextIsAReplyFromThePlusWaIdToThePhoneNumberIdAndStopIsAKeyword() throws {
        let body = MetaWebhookSigner.textMessage(phoneNumberId: Self.phoneNumberId, waId: "972501234567", id: "wamid.1", text: "stop")
        let (events, externalId, answer) = try Self.messaging(body)
        #expect(externalId == "wamid.1")
        #expect(answer == .emptyJSON)
        let expected = MessageReply(
            channel: .whatsapp,
            address: "+972501234567",
            sender: Self.phoneNumberId,
            providerMessageId: "wamid.1",
            body: "stop",
            keyword: OptOutKeyword(message: "STOP")
        )
        #expect(events == [.reply(expected)])
    }

    @Test(arguments: [
        (#""type":"image","image":{"id":"1","caption":"הנה"}"#, "[image] הנה"),
        (#""type":"audio","audio":{"id":"1"}"#, "[audio]"),
        (#""type":"button","button":{"text":"STOP","payload":"p"}"#, "STOP"),
        (#""type":"interactive","interactive":{"type":"button_reply","button_reply":{"id":"b","title":"Yes"}}"#, "Yes"),
        (#""type":"reaction","reaction":{"message_id":"wamid.x","emoji":"👍"}"#, "[reaction 👍]"),
    ])
    func otherMessageTypesAreRepliesWithAShortTextButNeverKeywords(content: String, text: String) throws {
        let message = #"{"from":"972501234567","id":"wamid.2","timestamp":"1",\#(content)}"#
        let body = MetaWebhookSigner.notification(phoneNumberId: Self.phoneNumberId, value: #""messages":[\#(message)]"#)
        let (events, _, _) = try Self.messaging(body)
        guard case .reply(let reply) = try #require(events.first) else { throw WebhookRejection.rejected(0, "not a reply") }
        #expect(Array(reply.body.utf8) == Array(text.utf8))
        #expect(reply.keyword == nil)
    }

    @Test func statusesOfSeveralMessagesShareOneOrderIndependentEventIdAndAFailureKeepsItsError() throws {
        let items: [(id: String, status: String, errorCode: Int?)] = [("wamid.b", "read", nil), ("wamid.a", "failed", 131026)]
        let (events, externalId, _) = try Self.messaging(MetaWebhookSigner.statuses(phoneNumberId: Self.phoneNumberId, items))
        let (_, reversedId, _) = try Self.messaging(MetaWebhookSigner.statuses(phoneNumberId: Self.phoneNumberId, items.reversed()))
        #expect(externalId == reversedId)
        #expect(externalId?.hasPrefix("sha256:") == true)
        #expect(
            events == [
                .status(MessageStatusReport(channel: .whatsapp, providerMessageId: "wamid.b", status: .read)),
                .status(
                    MessageStatusReport(
                        channel: .whatsapp,
                        providerMessageId: "wamid.a",
                        status: .failed,
                        errorCode: "131026",
                        errorReason: "Message undeliverable: Not a WhatsApp user"
                    )
                ),
            ]
        )
        #expect(events.lockOrdered.map(\.providerId) == ["wamid.a", "wamid.b"], "statuses lock their messages in one order")
    }

    @Test func otherFieldsUntrackedStatusesAndSystemErrorsAreIgnoredNotRefused() throws {
        let value = #""statuses":[{"id":"wamid.v","status":"played"}],"errors":[{"code":131000,"title":"Something went wrong"}]"#
        let body = MetaWebhookSigner.notification(phoneNumberId: Self.phoneNumberId, value: value)
        guard case .ignored(let reason, nil) = try Self.interpret(Self.request(body)) else {
            Issue.record("expected ignored")
            return
        }
        #expect(reason.contains("played") && reason.contains("131000"))
        let other = Array(#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"account_update","value":{}}]}]}"#.utf8)
        guard case .ignored(let otherReason, nil) = try Self.interpret(Self.request(other)) else {
            Issue.record("expected ignored")
            return
        }
        #expect(otherReason == "change field account_update")
    }

    @Test func theAppSecretIsRequiredUnlessAVerifiedEventIsReplayed() throws {
        let body = MetaWebhookSigner.textMessage(phoneNumberId: Self.phoneNumberId, waId: "972501234567", id: "wamid.3", text: "hi")
        #expect(throws: WebhookRejection.self) { try Self.interpret(Self.request(body), appSecret: nil) }
        #expect(throws: WebhookRejection.self) { try Self.interpret(Self.request(body, signature: "sha256=00")) }
        let replayed = try Self.interpret(WebhookRequest(method: "POST", headers: [:], contentType: "application/json", body: body), verify: false)
        guard case .messaging = replayed else {
            Issue.record("a replay is interpreted without a signature")
            return
        }
    }
}

extension MessagingEvent {
    fileprivate var providerId: String {
        switch self {
        case .reply(let reply): reply.providerMessageId
        case .status(let report): report.providerMessageId
        }
    }
}
