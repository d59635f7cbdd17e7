import Foundation

/// The `twilio` preset: SMS replies and status callbacks, signed with the account's auth token.
extension WebhookInterpreter {
    /// The name of the source config that holds the exact URL given to Twilio.
    public static let twilioPublicURLKey = "public_url"

    /// Verifies `X-Twilio-Signature` (unless `verify` is false: a replay of a verified event) and
    /// reads the form. The preset requires its `auth_token` secret and a public URL: without
    /// either, the request is refused as `bad_signature`, never taken unchecked, so a forged STOP
    /// cannot opt anyone out. An inbound message is deduped on its `MessageSid`, a status callback
    /// on `MessageSid:status`.
    static func twilio(
        _ request: WebhookRequest,
        source: Source,
        secrets: SourceSecrets,
        verify: Bool
    ) throws(WebhookRejection)
        -> WebhookInterpretation
    {
        if verify {
            guard let authToken = secrets.authToken else {
                throw .badSignature("this twilio source has no auth_token secret, so its signatures cannot be checked")
            }
            let publicURL = try twilioPublicURL(request, source: source)
            try WebhookSignatures.verifyTwilio(
                url: WebhookSignatures.twilioRequestURL(publicURL: publicURL, rawQuery: request.rawQuery),
                body: request.body,
                header: request.headers["x-twilio-signature"],
                authToken: authToken
            )
        }
        switch try TwilioWebhookEvent(formBody: request.body) {
        case .inbound(let message):
            return .messaging([.reply(reply(message))], externalEventId: message.messageSid, answer: .emptyTwiML)
        case .status(let callback):
            let externalId = "\(callback.messageSid):\(callback.messageStatus.lowercased())"
            guard let status = callback.status else {
                return .ignored("Twilio status \(callback.messageStatus) of \(callback.messageSid) is not tracked", externalEventId: externalId)
            }
            let report = MessageStatusReport(
                channel: .sms,
                providerMessageId: callback.messageSid,
                status: status,
                errorCode: callback.errorCode.map(String.init)
            )
            return .messaging([.status(report)], externalEventId: externalId, answer: .emptyTwiML)
        }
    }

    /// The URL Twilio was given, without the query: the source's `public_url` config (`{token}` in
    /// it stands for the source's token, unknown before it is created), else
    /// `PUBLIC_BASE_URL/hooks/<token>` (``WebhookRequest/publicURL``).
    static func twilioPublicURL(_ request: WebhookRequest, source: Source) throws(WebhookRejection) -> String {
        if let configured = source.config[twilioPublicURLKey] {
            guard case .string(let url) = configured, url.lowercased().hasPrefix("https://") || url.lowercased().hasPrefix("http://") else {
                throw .badSignature("the source's public_url config is not an http(s) URL, so Twilio's signature cannot be checked")
            }
            return url.replacingOccurrences(of: "{token}", with: source.token)
        }
        guard let url = request.publicURL else {
            throw .badSignature(
                "no public URL to check Twilio's signature against: set the source's public_url config "
                    + "(the exact URL given to Twilio) or PUBLIC_BASE_URL"
            )
        }
        return url
    }

    /// An inbound SMS as a reply. `From` is the person; a WhatsApp sender (`whatsapp:+…`) is kept
    /// on the WhatsApp channel. Keywords count on SMS only, from an E.164 sender; a Messaging
    /// Service's `OptOutType` (`STOP`/`START`, for its custom keywords) counts too.
    private static func reply(_ message: TwilioInboundMessage) -> MessageReply {
        let whatsappPrefix = "whatsapp:"
        let isWhatsApp = message.from.lowercased().hasPrefix(whatsappPrefix)
        func address(_ text: String) -> String {
            text.lowercased().hasPrefix(whatsappPrefix) ? String(text.dropFirst(whatsappPrefix.count)) : text
        }
        let from = address(message.from)
        var keyword: OptOutKeyword?
        if !isWhatsApp, MessageRecipient.isE164(from) {
            keyword = message.optOutKeyword ?? message.optOutType.flatMap(OptOutKeyword.init(message:))
        }
        return MessageReply(
            channel: isWhatsApp ? .whatsapp : .sms,
            address: from,
            sender: address(message.to),
            providerMessageId: message.messageSid,
            body: message.body,
            keyword: keyword
        )
    }
}
