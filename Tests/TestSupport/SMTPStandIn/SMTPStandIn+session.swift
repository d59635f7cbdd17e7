import Foundation
import NIOCore
import Synchronization

extension SMTPStandIn {
    /// Talks SMTP with one client until QUIT or the connection ends.
    func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async throws {
        try await connection.executeThenClose { inbound, outbound in
            func reply(_ text: String) async throws { try await outbound.write(ByteBuffer(string: text + "\r\n")) }
            var lines = LineSplitter(inbound: inbound.makeAsyncIterator())
            var helo = ""
            var auth: (String, String)?
            var from: String?
            var recipients: [String] = []
            try await reply("220 smtp-stand-in ESMTP ready")
            while let line = try await lines.next() {
                state.withLock { $0.commands.append(line) }
                let upper = line.uppercased()
                if upper.hasPrefix("EHLO ") || upper.hasPrefix("HELO ") {
                    helo = String(line.dropFirst(5))
                    try await reply("250-smtp-stand-in greets \(helo)\r\n250-8BITMIME\r\n250 AUTH PLAIN")
                } else if upper.hasPrefix("AUTH PLAIN ") {
                    let parts = Data(base64Encoded: String(line.dropFirst(11))).map {
                        Array($0).split(separator: 0, omittingEmptySubsequences: false)
                    }
                    if let parts, parts.count == 3 {
                        auth = (String(decoding: parts[1], as: UTF8.self), String(decoding: parts[2], as: UTF8.self))
                        try await reply("235 2.7.0 Authentication successful")
                    } else {
                        try await reply("501 5.5.2 Cannot decode AUTH PLAIN")
                    }
                } else if upper.hasPrefix("MAIL FROM:") {
                    from = Self.address(in: line)
                    recipients = []
                    try await reply("250 2.1.0 OK")
                } else if upper.hasPrefix("RCPT TO:") {
                    let recipient = Self.address(in: line)
                    if from == nil {
                        try await reply("503 5.5.1 MAIL first")
                    } else if rejectedRecipients.contains(recipient) {
                        try await reply("550 5.1.1 <\(recipient)>: Recipient address rejected")
                    } else {
                        recipients.append(recipient)
                        try await reply("250 2.1.5 OK")
                    }
                } else if upper == "DATA" {
                    guard let sender = from, !recipients.isEmpty else {
                        try await reply("503 5.5.1 RCPT first")
                        continue
                    }
                    try await reply("354 End data with <CR><LF>.<CR><LF>")
                    var raw: [String] = []
                    while let dataLine = try await lines.next(), dataLine != "." { raw.append(dataLine) }
                    let text = raw.map { $0.hasPrefix(".") ? String($0.dropFirst()) : $0 }.joined(separator: "\r\n")
                    let message = Message(
                        helo: helo,
                        authenticatedAs: auth,
                        mailFrom: sender,
                        recipients: recipients,
                        rawLines: raw,
                        text: text
                    )
                    state.withLock { $0.messages.append(message) }
                    from = nil
                    recipients = []
                    try await reply("250 2.0.0 Queued")
                } else if upper == "RSET" || upper == "NOOP" {
                    if upper == "RSET" {
                        from = nil
                        recipients = []
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
