import NIOCore

/// One SMTP conversation: commands out, replies in.
struct SMTPSession {
    var replies: SMTPReplyReader
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>

    /// Sends `line` and checks the reply's code is one of `codes`; `shown` replaces the command in
    /// errors (secrets).
    ///
    /// - Throws: ``SMTPError`` at `step` with the server's code when it answers anything else.
    mutating func command(_ line: String, step: SMTPError.Step, expect codes: Int..., shown: String? = nil) async throws -> SMTPReply {
        try await write(line + "\r\n")
        let reply = try await replies.next()
        guard codes.contains(reply.code) else {
            throw SMTPError(step: step, code: reply.code, text: reply.text, context: "to \(shown ?? line)")
        }
        return reply
    }

    /// Reads a reply and checks its code; `after` names what it answers, for errors.
    @discardableResult
    mutating func expect(_ code: Int, step: SMTPError.Step, after: String) async throws -> SMTPReply {
        let reply = try await replies.next()
        guard reply.code == code else {
            throw SMTPError(step: step, code: reply.code, text: reply.text, context: "after \(after)")
        }
        return reply
    }

    /// Sends `text` as is.
    func write(_ text: String) async throws {
        try await outbound.write(ByteBuffer(string: text))
    }
}
