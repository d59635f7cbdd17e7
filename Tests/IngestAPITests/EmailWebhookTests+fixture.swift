import Foundation

/// A SendGrid Inbound Parse post (reference §4.3): `multipart/form-data` with the fields `headers`,
/// `from`, `to`, `subject`, `text`, `html`, `envelope`, `charsets`, `SPF`, `spam_score` and
/// attachments as file parts. Field values are raw bytes, so they can be in any charset.
struct InboundParseFixture {
    static let boundary = "xYzZY"

    /// The form's fields in order: name, raw bytes, and a file name for an attachment.
    var parts: [(name: String, value: [UInt8], filename: String?)]

    /// A reply as SendGrid posts it. `charset` is what `charsets` says for `subject`, `text` and
    /// `html` (their bytes must be in it); nil omits a field; `messageId` and `inReplyTo` go into
    /// `headers` with angle brackets.
    static func reply(
        from: String? = #""Dana Levi" <dana@example.com>"#,
        envelopeFrom: String? = "dana@example.com",
        subject: [UInt8] = Array("Re: your quote".utf8),
        text: [UInt8]? = Array("Yes, call me tomorrow.\n\nOn Mon, LeadRelay wrote:\n> Hello".utf8),
        html: [UInt8]? = nil,
        charset: String = "UTF-8",
        messageId: String? = "CAF=reply-1@mail.example.com",
        inReplyTo: String? = nil,
        references: String? = nil,
        attachment: Bool = false
    ) -> InboundParseFixture {
        var headerLines = [
            "Received: by mx.sendgrid.net with SMTP id abc",
            "Date: Mon, 7 Dec 2026 01:00:00 +0200",
            "From: \(from ?? "nobody")",
            "To: \(EmailHook.inboundAddress)",
        ]
        if let messageId { headerLines.append("Message-ID: <\(messageId)>") }
        if let inReplyTo { headerLines.append("In-Reply-To: <\(inReplyTo)>") }
        if let references { headerLines.append("References: \(references)\n\t<other-thread@example.com>") }
        headerLines.append("Subject: (encoded; SendGrid sends it decoded in subject)")
        var fixture = InboundParseFixture(parts: [("headers", Array(headerLines.joined(separator: "\n").utf8), nil)])
        if let from { fixture.parts.append(("from", Array(from.utf8), nil)) }
        fixture.parts.append(("to", Array(EmailHook.inboundAddress.utf8), nil))
        fixture.parts.append(("subject", subject, nil))
        if let text { fixture.parts.append(("text", text, nil)) }
        if let html { fixture.parts.append(("html", html, nil)) }
        let envelope = #"{"to":["\#(EmailHook.inboundAddress)"],"from":"\#(envelopeFrom ?? "")"}"#
        if envelopeFrom != nil { fixture.parts.append(("envelope", Array(envelope.utf8), nil)) }
        let charsets = #"{"to":"UTF-8","html":"\#(charset)","subject":"\#(charset)","from":"UTF-8","text":"\#(charset)"}"#
        fixture.parts.append(("charsets", Array(charsets.utf8), nil))
        fixture.parts.append(("SPF", Array("pass".utf8), nil))
        fixture.parts.append(("spam_score", Array("0.1".utf8), nil))
        if attachment {
            fixture.parts.append(("attachments", Array("1".utf8), nil))
            fixture.parts.append(("attachment1", [0x89, 0x50, 0x4E, 0x47, 0x00, 0xFF], "photo.png"))
        }
        return fixture
    }

    /// `multipart/form-data; boundary=…`.
    var contentType: String { "multipart/form-data; boundary=\(Self.boundary)" }

    /// The form as bytes on the wire.
    var body: [UInt8] {
        var bytes: [UInt8] = []
        for part in parts {
            var head = "--\(Self.boundary)\r\nContent-Disposition: form-data; name=\"\(part.name)\""
            if let filename = part.filename { head += "; filename=\"\(filename)\"\r\nContent-Type: image/png" }
            bytes += Array((head + "\r\n\r\n").utf8) + part.value + Array("\r\n".utf8)
        }
        return bytes + Array("--\(Self.boundary)--\r\n".utf8)
    }
}
