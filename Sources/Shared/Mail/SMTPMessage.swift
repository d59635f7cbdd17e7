import Crypto
import Foundation

/// An email: a text body and, optionally, an HTML alternative (`multipart/alternative`). Headers
/// per RFC 5322 with non-ASCII text as RFC 2047 encoded words, non-ASCII bodies in base64, CRLF
/// line ends, header values stripped of line breaks.
public struct SMTPMessage: Sendable, Hashable {
    public var from: String
    /// The sender's display name (`From: Name <address>`); nil: the address alone.
    public var fromName: String?
    public var to: [String]
    /// Where replies should go; nil: no `Reply-To` header.
    public var replyTo: String?
    public var subject: String
    /// The plain-text body.
    public var body: String
    /// The HTML alternative; nil: a plain `text/plain` message.
    public var html: String?
    public var date: Date
    /// `<…@domain>`; a random one by default.
    public var messageId: String
    /// A `List-Unsubscribe` value (RFC 2369), e.g. `<mailto:replies@example.com?subject=unsubscribe>`.
    public var listUnsubscribe: String?

    /// A message from `from` to `to`.
    public init(
        from: String,
        fromName: String? = nil,
        to: [String],
        replyTo: String? = nil,
        subject: String,
        body: String,
        html: String? = nil,
        date: Date = Date(),
        messageId: String? = nil,
        listUnsubscribe: String? = nil
    ) {
        self.from = from
        self.fromName = fromName
        self.to = to
        self.replyTo = replyTo
        self.subject = subject
        self.body = body
        self.html = html
        self.date = date
        let domain = from.split(separator: "@").last.map(String.init) ?? "leadrelay.invalid"
        self.messageId = messageId ?? "<\(UUID().uuidString.lowercased())@\(domain)>"
        self.listUnsubscribe = listUnsubscribe
    }

    /// The message as sent after DATA (before dot-stuffing), lines ending in CRLF.
    public var rendered: String {
        var lines = [
            "Date: \(Self.rfc5322Date(date))",
            "From: \(Self.mailbox(from, name: fromName))",
        ]
        if let replyTo { lines.append("Reply-To: \(Self.headerValue(replyTo))") }
        lines += [
            "To: \(to.map(Self.headerValue).joined(separator: ", "))",
            "Subject: \(Self.encodedWords(Self.headerValue(subject)))",
            "Message-ID: \(Self.headerValue(messageId))",
        ]
        if let listUnsubscribe { lines.append("List-Unsubscribe: \(Self.headerValue(listUnsubscribe))") }
        lines += ["MIME-Version: 1.0"]
        if let html {
            let boundary = self.boundary
            lines += ["Content-Type: multipart/alternative;", " boundary=\"\(boundary)\"", ""]
            for (type, content) in [("text/plain", body), ("text/html", html)] {
                lines += ["--\(boundary)"] + Self.part(type: type, content)
            }
            lines.append("--\(boundary)--")
        } else {
            lines += Self.part(type: "text/plain", body)
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// `rendered` ready for the DATA phase: lines starting with `.` get another `.` (RFC 5321
    /// §4.5.2), terminated by `<CRLF>.<CRLF>`.
    public var dotStuffed: String {
        var text = ""
        for line in Self.lines(of: rendered).dropLast() {
            text += (line.hasPrefix(".") ? "." + line : line) + "\r\n"
        }
        return text + ".\r\n"
    }

    /// The multipart boundary: the same for the same message, and in no line of it (`=_` never
    /// starts a base64 line, and the hash covers the content).
    var boundary: String {
        let digest = SHA256.hash(data: Data((messageId + "\u{0}" + body + "\u{0}" + (html ?? "")).utf8))
        return "=_leadrelay_" + digest.prefix(12).map { String(format: "%02x", $0) }.joined()
    }

    /// Refuses envelope addresses that would break the SMTP command they go in (line breaks,
    /// angle brackets, spaces) or need SMTPUTF8, which this client does not speak.
    ///
    /// - Throws: ``SMTPError`` (`.permanent`) naming the address.
    func checkAddresses() throws {
        guard !to.isEmpty else { throw SMTPError(step: .recipient, kind: .permanent, "a message needs at least one recipient") }
        for (address, step) in [(from, SMTPError.Step.sender)] + to.map({ ($0, SMTPError.Step.recipient) }) {
            let usable = address.unicodeScalars.allSatisfy { $0.isASCII && $0.value > 0x20 && $0.value < 0x7F && $0 != "<" && $0 != ">" }
            guard usable, address.contains("@") else {
                throw SMTPError(step: step, kind: .permanent, "\(address.debugDescription) cannot be sent: not a plain ASCII email address")
            }
        }
    }
}
