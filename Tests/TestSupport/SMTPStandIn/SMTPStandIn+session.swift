import Foundation
import NIOCore
import NIOSSL
import Synchronization

extension SMTPStandIn {
    /// What one connection has said so far.
    struct Session {
        var helo = ""
        var auth: (user: String, password: String, mechanism: String)?
        var overTLS = false
        var from: String?
        var recipients: [String] = []
    }

    /// Talks SMTP with one client until QUIT or the connection ends.
    func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async throws {
        try await connection.executeThenClose { inbound, outbound in
            func reply(_ text: String) async throws { try await outbound.write(ByteBuffer(string: text + "\r\n")) }
            var lines = LineSplitter(inbound: inbound.makeAsyncIterator())
            var session = Session()
            if case .implicit = tls { session.overTLS = true }
            try await reply("220 smtp-stand-in ESMTP ready")
            while let line = try await lines.next() {
                state.withLock { $0.commands.append(line) }
                let upper = line.uppercased()
                if upper.hasPrefix("EHLO ") || upper.hasPrefix("HELO ") {
                    session.helo = String(line.dropFirst(5))
                    try await reply(features(greeting: session.helo, overTLS: session.overTLS))
                } else if upper == "STARTTLS", case .starttls(let certificate) = tls, !session.overTLS {
                    guard !lines.hasPending else { return }  // commands sent before TLS: drop the connection
                    if let scripted = scriptedReplies[.startTLS] {
                        try await reply(scripted)
                        continue
                    }
                    if stallsTLSHandshake {
                        try await reply("220 2.0.0 Ready to start TLS")
                        while try await lines.next() != nil {}  // the ClientHello and anything after: no answer
                        return
                    }
                    // The 220 passes the pipeline in clear text and TLS goes under the connection in
                    // the same event-loop turn, so no byte read after it (the client's ClientHello)
                    // can reach the clear-text handlers. Adding TLS once the write had completed left
                    // a window in which a fast client's ClientHello was read as a command line, and
                    // both sides then waited for each other.
                    let channel = connection.channel
                    try await channel.eventLoop.submit {
                        channel.writeAndFlush(ByteBuffer(string: "220 2.0.0 Ready to start TLS\r\n"), promise: nil)
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: certificate.context), position: .first)
                    }.get()
                    session = Session(overTLS: true)  // RFC 3207 §4.2: forget everything said before
                } else if upper.hasPrefix("AUTH ") {
                    try await authenticate(line, session: &session, lines: &lines, reply: reply)
                } else if upper.hasPrefix("MAIL FROM:") {
                    let scripted = scriptedReplies[.mailFrom]
                    session.from = scripted == nil ? Self.address(in: line) : nil
                    session.recipients = []
                    try await reply(scripted ?? "250 2.1.0 OK")
                } else if upper.hasPrefix("RCPT TO:") {
                    let recipient = Self.address(in: line)
                    if session.from == nil {
                        try await reply("503 5.5.1 MAIL first")
                    } else if rejectedRecipients.contains(recipient) {
                        try await reply("550 5.1.1 <\(recipient)>: Recipient address rejected")
                    } else if let scripted = scriptedReplies[.recipient] {
                        try await reply(scripted)
                    } else {
                        session.recipients.append(recipient)
                        try await reply("250 2.1.5 OK")
                    }
                } else if upper == "DATA" {
                    guard let sender = session.from, !session.recipients.isEmpty else {
                        try await reply("503 5.5.1 RCPT first")
                        continue
                    }
                    if let scripted = scriptedReplies[.data] {
                        try await reply(scripted)
                        continue
                    }
                    try await reply("354 End data with <CR><LF>.<CR><LF>")
                    var raw: [String] = []
                    while let dataLine = try await lines.next(), dataLine != "." { raw.append(dataLine) }
                    let recipients = session.recipients
                    session.from = nil
                    session.recipients = []
                    if let scripted = scriptedReplies[.message] {
                        try await reply(scripted)
                        continue
                    }
                    let text = raw.map { $0.hasPrefix(".") ? String($0.dropFirst()) : $0 }.joined(separator: "\r\n")
                    let message = Message(
                        helo: session.helo,
                        authenticatedAs: session.auth.map { ($0.user, $0.password) },
                        authMechanism: session.auth?.mechanism,
                        overTLS: session.overTLS,
                        mailFrom: sender,
                        recipients: recipients,
                        rawLines: raw,
                        text: text
                    )
                    state.withLock { $0.messages.append(message) }
                    try await reply("250 2.0.0 Queued")
                } else if upper == "RSET" || upper == "NOOP" {
                    if upper == "RSET" {
                        session.from = nil
                        session.recipients = []
                    }
                    try await reply("250 2.0.0 OK")
                } else if upper == "QUIT" {
                    try await reply("221 2.0.0 Bye")
                    return
                } else {
                    try await reply("502 5.5.2 Command not recognized")
                }
            }
        }
    }

    /// The EHLO reply: STARTTLS before TLS when it speaks it (and then no AUTH), else the AUTH mechanisms.
    func features(greeting helo: String, overTLS: Bool) -> String {
        var lines = ["smtp-stand-in greets \(helo)", "8BITMIME"]
        if case .starttls = tls, !overTLS {
            lines.append("STARTTLS")
        } else if !authMechanisms.isEmpty {
            lines.append("AUTH \(authMechanisms.joined(separator: " "))")
        }
        return lines.enumerated().map { "250\($0.offset == lines.count - 1 ? " " : "-")\($0.element)" }.joined(separator: "\r\n")
    }

    /// The address between `<` and `>` of a MAIL FROM / RCPT TO line.
    static func address(in line: String) -> String {
        guard let open = line.firstIndex(of: "<"), let close = line.lastIndex(of: ">"), open < close else {
            return String(line.split(separator: ":", maxSplits: 1).last ?? "").trimmingCharacters(in: .whitespaces)
        }
        return String(line[line.index(after: open)..<close])
    }
}

/// Splits a connection's bytes into lines (CRLF or LF).
struct LineSplitter {
    var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    var pending = ByteBuffer()

    /// Whether bytes after the last line were already received.
    var hasPending: Bool { pending.readableBytes > 0 }

    /// The next line without its line end; nil when the connection ends.
    mutating func next() async throws -> String? {
        while true {
            if let end = pending.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
                let line = pending.readString(length: end - pending.readerIndex) ?? ""
                pending.moveReaderIndex(forwardBy: 1)
                return line.hasSuffix("\r") ? String(line.dropLast()) : line
            }
            guard var chunk = try await inbound.next() else { return nil }
            pending.writeBuffer(&chunk)
        }
    }
}
