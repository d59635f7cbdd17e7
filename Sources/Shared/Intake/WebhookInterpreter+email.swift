/// The `email` preset: replies by email through SendGrid Inbound Parse (reference §4.3).
extension WebhookInterpreter {
    /// Reads SendGrid Inbound Parse's `multipart/form-data` POST as a reply on the email channel.
    ///
    /// Inbound Parse signs nothing: the source's unguessable hook token is the only proof that a
    /// request came from SendGrid, so an `email` source's URL must be kept as secret as a key.
    ///
    /// The sender is the envelope's `from`, else the address in the `from` field; the text part
    /// (else the HTML part reduced to text) is the body and the subject is kept with it; fields are
    /// decoded with the charsets SendGrid names in `charsets`. A LeadRelay Message-ID in
    /// `In-Reply-To`/`References` names the delivery the mail answers. A subject or first text
    /// line that is exactly one SMS keyword (``OptOutKeyword``) opts the address out of email or
    /// back in. The mail's Message-ID (else a digest of the raw body) dedupes SendGrid's retries.
    ///
    /// - Throws: 400 when the request is not multipart or names no sender.
    static func email(_ request: WebhookRequest) throws(WebhookRejection) -> WebhookInterpretation {
        let form = try InboundMailForm(body: request.body, contentType: request.contentType)
        let mail = try InboundMail(form: form)
        let key = mail.deduplicationKey(rawBody: request.body)
        var notes = mail.notes
        if form.attachmentCount > 0 {
            notes.append("\(form.attachmentCount) attachment\(form.attachmentCount == 1 ? "" : "s") not kept")
        }
        let reply = MessageReply(
            channel: .email,
            address: mail.from,
            sender: mail.to,
            providerMessageId: key,
            body: mail.body,
            keyword: mail.keyword,
            subject: mail.subject,
            inReplyToDeliveryId: mail.inReplyToDeliveryId,
            note: notes.isEmpty ? nil : notes.joined(separator: "; ")
        )
        return .messaging([.reply(reply)], externalEventId: key, answer: .emptyJSON)
    }
}
