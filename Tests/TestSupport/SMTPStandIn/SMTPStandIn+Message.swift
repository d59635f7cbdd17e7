import Foundation

extension SMTPStandIn.Message {
    /// One part of a message: its headers and its content decoded from base64 when so encoded.
    public struct Part: Sendable {
        /// The part's header lines, unfolded.
        public var headers: [String]
        /// The content bytes (base64 decoded; 7bit content with CRLF line ends as received).
        public var bytes: [UInt8]

        /// The value of header `name` (case-insensitive).
        public func header(_ name: String) -> String? {
            SMTPStandIn.Message.header(name, in: headers)
        }
    }

    /// The header lines, continuation lines joined to the line they continue.
    public var headerLines: [String] {
        Self.unfolded(text.components(separatedBy: "\r\n").prefix { !$0.isEmpty })
    }

    /// The value of header `name` (case-insensitive), from the header block.
    public func header(_ name: String) -> String? {
        Self.header(name, in: headerLines)
    }

    /// Everything after the blank line ending the headers.
    public var body: String {
        guard let range = text.range(of: "\r\n\r\n") else { return "" }
        return String(text[range.upperBound...])
    }

    /// The subject's bytes: RFC 2047 `=?UTF-8?B?…?=` words decoded and joined, or the plain text.
    public var subjectBytes: [UInt8]? {
        guard let subject = header("Subject") else { return nil }
        let words = subject.split(separator: " ")
        guard words.allSatisfy({ $0.hasPrefix("=?UTF-8?B?") && $0.hasSuffix("?=") }) else { return Array(subject.utf8) }
        return words.flatMap { Array(Data(base64Encoded: String($0.dropFirst(10).dropLast(2))) ?? Data()) }
    }

    /// The body parts: each part of a `multipart/*` message, or the message itself as one part.
    public var parts: [Part] {
        let type = header("Content-Type") ?? ""
        guard type.lowercased().hasPrefix("multipart/"), let start = type.range(of: "boundary=\"") else {
            return [Self.part(headers: headerLines, content: body)]
        }
        let boundary = String(type[start.upperBound...].prefix { $0 != "\"" })
        var parts: [Part] = []
        var current: [String]?
        for line in body.components(separatedBy: "\r\n") {
            if line == "--\(boundary)" || line == "--\(boundary)--" {
                if let lines = current {
                    let headerBlock = lines.prefix { !$0.isEmpty }
                    let content = lines.dropFirst(headerBlock.count + 1).joined(separator: "\r\n")
                    parts.append(Self.part(headers: Self.unfolded(headerBlock), content: content))
                }
                current = line.hasSuffix("--") ? nil : []
            } else {
                current?.append(line)
            }
        }
        return parts
    }

    static func part(headers: [String], content: String) -> Part {
        if header("Content-Transfer-Encoding", in: headers)?.lowercased() == "base64" {
            return Part(headers: headers, bytes: Array(Data(base64Encoded: content.replacingOccurrences(of: "\r\n", with: "")) ?? Data()))
        }
        return Part(headers: headers, bytes: Array(content.utf8))
    }

    static func unfolded<Lines: Sequence<String>>(_ lines: Lines) -> [String] {
        var result: [String] = []
        for line in lines {
            if let first = line.first, first == " " || first == "\t", !result.isEmpty {
                result[result.count - 1] += " " + line.trimmingCharacters(in: .whitespaces)
            } else {
                result.append(line)
            }
        }
        return result
    }

    static func header(_ name: String, in lines: [String]) -> String? {
        for line in lines {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].caseInsensitiveCompare(name) == .orderedSame {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }
}
