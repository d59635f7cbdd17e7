import Foundation

extension SMTPMessage {
    /// One body part's headers, a blank line and its content: 7bit when ASCII with lines of at
    /// most 998 bytes (RFC 5322 §2.1.1), else base64 in 76-character lines.
    static func part(type: String, _ content: String) -> [String] {
        let lines = lines(of: content)
        let sevenBit = content.unicodeScalars.allSatisfy(\.isASCII) && lines.allSatisfy { $0.utf8.count <= 998 }
        let header = [
            "Content-Type: \(type); charset=utf-8",
            "Content-Transfer-Encoding: \(sevenBit ? "7bit" : "base64")",
            "",
        ]
        return header + (sevenBit ? lines : base64Lines(Array(content.utf8)))
    }

    /// `bytes` in base64, 76 characters a line (RFC 2045 §6.8).
    static func base64Lines(_ bytes: [UInt8]) -> [String] {
        let encoded = Data(bytes).base64EncodedString()
        var lines: [String] = []
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(String(encoded[index..<end]))
            index = end
        }
        return lines
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

    /// `text` as is when plain ASCII, else RFC 2047 encoded words (`=?UTF-8?B?…?=`) of at most 36
    /// bytes of whole characters each (60 characters, under the limit of 75), folded onto
    /// continuation lines that stay under 78 characters. A reader joins adjacent words without the
    /// space between them.
    static func encodedWords(_ text: String) -> String {
        guard !text.unicodeScalars.allSatisfy(\.isASCII) else { return text }
        var words: [String] = []
        var chunk: [UInt8] = []
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if chunk.count + bytes.count > 36 {
                words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=")
                chunk = []
            }
            chunk += bytes
        }
        words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=")
        return words.joined(separator: "\r\n ")
    }

    /// `address`, or `Name <address>` with the name quoted or encoded.
    static func mailbox(_ address: String, name: String?) -> String {
        let address = headerValue(address)
        guard let name = name.map(headerValue), !name.isEmpty else { return address }
        guard name.unicodeScalars.allSatisfy(\.isASCII) else { return "\(encodedWords(name)) <\(address)>" }
        let quoted = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\"\(quoted)\" <\(address)>"
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
