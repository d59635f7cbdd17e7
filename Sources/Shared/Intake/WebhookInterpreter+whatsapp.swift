import Crypto
import Foundation

/// The `whatsapp` preset: WhatsApp Cloud API replies and delivery statuses, signed by Meta with
/// the app secret (reference §3.5). The subscription check (GET) is ``metaVerification(_:secrets:)``.
extension WebhookInterpreter {
    /// Verifies `X-Hub-Signature-256` over the raw body (unless `verify` is false: a replay of a
    /// verified event) and reads the notification. The `app_secret` secret is required: without it
    /// the request is refused as `bad_signature`, so a forged STOP cannot opt anyone out.
    ///
    /// Each `messages[]` item is a reply from `+<wa_id>` to the `phone_number_id`; a text that is a
    /// single SMS opt-out or opt-in keyword (``OptOutKeyword``, the same rule as SMS) changes the
    /// person's WhatsApp standing. Each `statuses[]` item with a ranked status is a status report
    /// (a `failed` one keeps `errors[0]`'s code and title). The event's external id is the wamid
    /// (a status: `wamid:status`), or a digest of all of them for several items, so Meta's
    /// re-delivery of the same notification is a `duplicate`.
    static func whatsapp(_ request: WebhookRequest, secrets: SourceSecrets, verify: Bool) throws(WebhookRejection) -> WebhookInterpretation {
        if verify {
            guard let appSecret = secrets.appSecret else {
                throw .badSignature("this whatsapp source has no app_secret secret, so its signatures cannot be checked")
            }
            try WebhookSignatures.verifyMeta(body: request.body, header: request.headers["x-hub-signature-256"], appSecret: appSecret)
        }
        let payload = try WhatsAppWebhookPayload(body: request.body)
        var events: [MessagingEvent] = []
        var keys: [String] = []
        var skipped = payload.skipped
        for message in payload.messages {
            let address = "+" + message.waId
            guard MessageRecipient.isE164(address) else {
                skipped.append("message \(message.id) from a wa_id that is not a phone number")
                continue
            }
            let keyword = message.type == "text" ? OptOutKeyword(message: message.body) : nil
            let reply = MessageReply(
                channel: .whatsapp,
                address: address,
                sender: message.phoneNumberId,
                providerMessageId: message.id,
                body: message.body,
                keyword: keyword
            )
            events.append(.reply(reply))
            keys.append(message.id)
        }
        for status in payload.statuses {
            guard let ranked = MessageDeliveryStatus.from(whatsapp: status.status) else {
                skipped.append("WhatsApp status \(status.status) of \(status.id) is not tracked")
                continue
            }
            let report = MessageStatusReport(
                channel: .whatsapp,
                providerMessageId: status.id,
                status: ranked,
                errorCode: ranked.isFailure ? status.errorCode : nil,
                errorReason: ranked.isFailure ? status.errorReason : nil
            )
            events.append(.status(report))
            keys.append("\(status.id):\(status.status)")
        }
        guard !events.isEmpty else {
            let reason = skipped.isEmpty ? "no messages or statuses in this notification" : skipped.joined(separator: "; ")
            return .ignored(String(reason.prefix(1000)), externalEventId: nil)
        }
        return .messaging(events, externalEventId: whatsappEventId(keys), answer: .emptyJSON)
    }

    /// One item's key as is; for several, `sha256:` and the hex digest of the sorted keys (an
    /// external id stays short enough for its unique index however many items Meta batches).
    static func whatsappEventId(_ keys: [String]) -> String {
        if keys.count == 1 { return keys[0] }
        let digest = SHA256.hash(data: Array(keys.sorted().joined(separator: "\n").utf8))
        return "sha256:" + WebhookEncoding.hex(digest)
    }
}
