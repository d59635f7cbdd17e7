import Foundation

/// A plain-text email: headers per RFC 5322 (non-ASCII subjects as encoded words, non-ASCII
/// bodies in base64), CRLF line ends, header values stripped of line breaks.
public struct SMTPMessage: Sendable, Hashable {
    public var from: String
    public var to: [String]
    public var subject: String
    public var body: String
    public var date: Date
    /// `<…@domain>`; a random one by default.
    public var messageId: String

    /// A message from `from` to `to`.
    public init(from: String, to: [String], subject: String, body: String, date: Date = Date(), messageId: String? = nil) {
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
        self.date = date
        let domain = from.split(separator: "@").last.map(String.init) ?? "leadrelay.invalid"
        self.messageId = messageId ?? "<\(UUID().uuidString.lowercased())@\(domain)>"
    }

    /// The message as sent after DATA (before dot-stuffing), lines ending in CRLF.
    public var rendered: String {
        let ascii = body.unicodeScalars.allSatisfy(\.isASCII)
        var lines = [
            "Date: \(Self.rfc5322Date(date))",
            "From: \(Self.headerValue(from))",
            "To: \(to.map(Self.headerValue).joined(separator: ", "))",
            "Subject: \(Self.encodedWord(Self.headerValue(subject)))",
            "Message-ID: \(Self.headerValue(messageId))",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: \(ascii ? "7bit" : "base64")",
            "",
        ]
        if ascii {
            lines += Self.lines(of: body)
        } else {
            let encoded = Data(body.utf8).base64EncodedString()
            var index = encoded.startIndex
            while index < encoded.endIndex {
                let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
                lines.append(String(encoded[index..<end]))
                index = end
            }
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

    /// `text` split at CRLF, CR or LF.
    static func lines(of text: String) -> [String] {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// A header value on one line.
    static func headerValue(_ value: String) -> String {
        value.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
    }

    /// `text` as an RFC 2047 encoded word when it is not plain ASCII.
    static func encodedWord(_ text: String) -> String {
        guard !text.unicodeScalars.allSatisfy(\.isASCII) else { return text }
        return "=?UTF-8?B?\(Data(text.utf8).base64EncodedString())?="
    }

    /// `Tue, 24 Nov 2026 08:00:00 +0000`.
    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }
}
