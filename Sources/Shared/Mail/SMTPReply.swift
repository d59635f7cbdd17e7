import NIOCore

/// One SMTP reply: a three-digit code and its text lines (several for `250-…` continuations).
public struct SMTPReply: Sendable, Hashable {
    /// The three-digit code, e.g. 250.
    public var code: Int
    /// The text after the code, one entry per line.
    public var lines: [String]

    /// The text of all lines, joined by spaces (e.g. `2.0.0 Ok: queued as 4BxYz`).
    public var text: String { lines.joined(separator: " ") }

    /// A reply with `code` and `lines`.
    public init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines
    }
}

/// Reads CRLF-terminated reply lines from a connection and groups them into replies.
struct SMTPReplyReader {
    var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    var buffer: [UInt8] = []

    /// Whether bytes after the last reply were already received (before TLS starts, that would be
    /// an injection: RFC 3207 §4.2 and CVE-2011-0411).
    var hasUnreadBytes: Bool { !buffer.isEmpty }

    /// The next complete reply.
    mutating func next() async throws -> SMTPReply {
        var lines: [String] = []
        while true {
            let line = try await nextLine()
            let bytes = Array(line.utf8)
            guard bytes.count >= 3, let code = Int(String(line.prefix(3))) else {
                throw SMTPError(step: .connection, kind: .permanent, "the server sent something that is not an SMTP reply: \(line.prefix(80))")
            }
            lines.append(String(line.dropFirst(4)))
            if bytes.count == 3 || bytes[3] != UInt8(ascii: "-") { return SMTPReply(code: code, lines: lines) }
        }
    }

    /// The next line without its line end.
    private mutating func nextLine() async throws -> String {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                return String(decoding: line, as: UTF8.self)
            }
            guard buffer.count < 64 * 1_024 else {
                throw SMTPError(step: .connection, kind: .permanent, "the server sent a reply line longer than 64 KB")
            }
            guard let chunk = try await inbound.next() else {
                throw SMTPError(step: .connection, kind: .transient, "the server closed the connection")
            }
            buffer += chunk.readableBytesView
        }
    }
}
