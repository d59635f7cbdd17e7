import Crypto
import Foundation

/// An email a person sent us, as SendGrid Inbound Parse posts it (reference §4.3): the sender,
/// subject and text decoded with the charsets SendGrid names, and what its headers say about the
/// thread it answers.
public struct InboundMail: Sendable, Hashable {
    /// The sender: the envelope's `from` when it holds an address, else the address in the `from`
    /// header, normalized as leads' emails are (``EmailNormalizer``) and lower-cased as opt-outs keep it.
    public var from: String
    /// Where it arrived: the envelope's first `to`, else the `to` field.
    public var to: String?
    /// The subject as sent (empty when there was none).
    public var subject: String
    /// The text part, else the HTML part reduced to text, else empty.
    public var body: String
    /// The `Message-ID` header without its angle brackets, when there is one.
    public var messageId: String?
    /// The delivery whose message this answers: the first LeadRelay Message-ID
    /// (`<leadrelay.d<delivery id>.…@…>`) named by `In-Reply-To`, else by `References` (latest first).
    public var inReplyToDeliveryId: Int64?
    /// What was not taken exactly as sent (an unknown charset, invalid bytes), for the event's reason.
    public var notes: [String]

    /// Reads the fields of `form`.
    ///
    /// - Throws: a 400 ``WebhookRejection`` when neither the envelope nor the `from` field names a
    ///   usable address.
    public init(form: InboundMailForm) throws(WebhookRejection) {
        var notes: [String] = []
        let charsets = Self.stringObject(form.fields["charsets"])
        func field(_ name: String) -> String? {
            guard let bytes = form.fields[name] else { return nil }
            let (text, note) = InboundMailCharset.decode(bytes, charset: charsets[name] ?? form.partCharsets[name])
            if let note { notes.append("\(name): \(note)") }
            return text
        }
        let envelope = form.fields["envelope"].flatMap { try? JSONValue.parse($0) }
        let fromHeader = field("from")
        var envelopeFrom: String?
        var envelopeTo: String?
        if case .object(let object)? = envelope {
            if case .string(let from)? = object["from"] { envelopeFrom = from }
            if case .array(let recipients)? = object["to"], case .string(let first)? = recipients.first { envelopeTo = first }
        }
        guard let sender = envelopeFrom.flatMap(Self.address(in:)) ?? fromHeader.flatMap(Self.address(in:)) else {
            if fromHeader == nil, envelopeFrom == nil {
                throw .rejected(400, "no sender: the form has no from field and no envelope from")
            }
            throw .rejected(400, "no sender: from \"\((fromHeader ?? envelopeFrom ?? "").prefix(100))\" holds no email address")
        }
        from = sender
        to = envelopeTo.flatMap(Self.address(in:)) ?? field("to").flatMap(Self.address(in:))
        subject = field("subject") ?? ""
        let text = field("text") ?? ""
        if !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            body = text
        } else {
            body = field("html").map(Self.plainText(html:)) ?? text
        }
        let headers = Self.headerFields(field("headers") ?? "")
        messageId = headers["message-id"].flatMap { Self.messageIds(in: $0).first ?? $0.trimmingCharacters(in: .whitespaces) }
            .flatMap { $0.isEmpty ? nil : $0 }
        let threadIds = (headers["in-reply-to"].map(Self.messageIds(in:)) ?? []) + (headers["references"].map(Self.messageIds(in:)) ?? []).reversed()
        inReplyToDeliveryId = threadIds.lazy.compactMap(Self.deliveryId(inMessageId:)).first
        self.notes = notes
    }

    /// The opt-out or opt-in keyword the mail is: its subject, or else its first non-empty text
    /// line, is exactly one keyword (the SMS rule, ``OptOutKeyword``).
    public var keyword: OptOutKeyword? {
        if let keyword = OptOutKeyword(message: subject) { return keyword }
        let firstLine = body.split(whereSeparator: \.isNewline).first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        return firstLine.flatMap { OptOutKeyword(message: String($0)) }
    }

    /// The key a re-delivery of this mail repeats: its Message-ID (hashed when over 200 bytes),
    /// else `sha256:` and the hex digest of the raw request body.
    public func deduplicationKey(rawBody: [UInt8]) -> String {
        if let messageId, messageId.utf8.count <= 200 { return messageId }
        return "sha256:" + WebhookEncoding.hex(SHA256.hash(data: messageId.map { Array($0.utf8) } ?? rawBody))
    }

    /// The address in `text` (`"Dana Levi" <Dana@Example.com>` or a bare address), normalized and
    /// lower-cased, or nil.
    static func address(in text: String) -> String? {
        var candidate = Substring(text)
        if let open = text.lastIndex(of: "<"), let close = text[open...].firstIndex(of: ">") {
            candidate = text[text.index(after: open)..<close]
        }
        return EmailNormalizer.normalize(String(candidate)).map { $0.lowercased() }
    }

    /// A JSON object of strings (the `charsets` field), keys as sent; empty when it is not one.
    private static func stringObject(_ bytes: [UInt8]?) -> [String: String] {
        guard let bytes, case .object(let object)? = try? JSONValue.parse(bytes) else { return [:] }
        return object.compactMapValues { if case .string(let text) = $0 { text } else { nil } }
    }
}
