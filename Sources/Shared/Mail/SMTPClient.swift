import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// A small SMTP client (RFC 5321) on SwiftNIO: EHLO, AUTH PLAIN when credentials are configured,
/// then MAIL FROM / RCPT TO / DATA (dot-stuffed) per message, and QUIT. `smtps://` wraps the
/// connection in TLS (NIOSSL, system trust roots); STARTTLS is not supported.
public struct SMTPClient: Sendable {
    public let configuration: SMTPConfiguration
    let logger: Logger
    /// The limit for one whole session.
    public var timeout: Duration

    /// A client for `configuration`.
    public init(configuration: SMTPConfiguration, logger: Logger, timeout: Duration = .seconds(60)) {
        self.configuration = configuration
        self.logger = logger
        self.timeout = timeout
    }

    /// Sends `messages` in one session (each to its own recipients).
    ///
    /// - Throws: ``SMTPError`` naming the step the server refused, or a connection error.
    public func send(_ messages: [SMTPMessage]) async throws {
        guard !messages.isEmpty else { return }
        let configuration = configuration
        try await withTimeout(timeout, operation: "sending mail through \(configuration.host):\(configuration.port)") {
            let channel = try await Self.connect(configuration)
            try await channel.executeThenClose { inbound, outbound in
                var session = SMTPSession(replies: SMTPReplyReader(inbound: inbound.makeAsyncIterator()), outbound: outbound)
                try await session.expect(220, after: "connecting")
                let features = try await session.command("EHLO \(configuration.heloName)", expect: 250)
                if let username = configuration.username {
                    guard features.lines.contains(where: { $0.uppercased().hasPrefix("AUTH") && $0.uppercased().contains("PLAIN") }) else {
                        throw SMTPError("the server does not offer AUTH PLAIN, but SMTP_URL has credentials")
                    }
                    let token = Data(([0] + Array(username.utf8) + [0] + Array((configuration.password ?? "").utf8))).base64EncodedString()
                    _ = try await session.command("AUTH PLAIN \(token)", expect: 235, shown: "AUTH PLAIN")
                }
                for message in messages {
                    _ = try await session.command("MAIL FROM:<\(message.from)>", expect: 250)
                    for recipient in message.to {
                        _ = try await session.command("RCPT TO:<\(recipient)>", expect: 250, 251)
                    }
                    _ = try await session.command("DATA", expect: 354)
                    try await session.write(message.dotStuffed)
                    try await session.expect(250, after: "sending the message")
                }
                _ = try? await session.command("QUIT", expect: 221)
            }
        }
        logger.info("mail sent", metadata: ["messages": "\(messages.count)", "server": "\(configuration.host)"])
    }

    /// Opens the connection (TLS first for `smtps://`).
    static func connect(_ configuration: SMTPConfiguration) async throws -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
        let tls = try configuration.implicitTLS ? NIOSSLContext(configuration: .makeClientConfiguration()) : nil
        let host = configuration.host
        return try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        let serverHostname = host.first?.isNumber == true || host.contains(":") ? nil : host
                        try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: tls, serverHostname: serverHostname))
                    }
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
    }
}

/// One SMTP conversation: commands out, replies in.
struct SMTPSession {
    var replies: SMTPReplyReader
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>

    /// Sends `line` and checks the reply's code is one of `codes`; `shown` replaces the command in errors (secrets).
    mutating func command(_ line: String, expect codes: Int..., shown: String? = nil) async throws -> SMTPReply {
        try await write(line + "\r\n")
        let reply = try await replies.next()
        guard codes.contains(reply.code) else {
            throw SMTPError("the server answered \(reply.code) \(reply.text) to \(shown ?? line)")
        }
        return reply
    }

    /// Reads a reply and checks its code.
    mutating func expect(_ code: Int, after step: String) async throws {
        let reply = try await replies.next()
        guard reply.code == code else { throw SMTPError("the server answered \(reply.code) \(reply.text) after \(step)") }
    }

    /// Sends `text` as is.
    func write(_ text: String) async throws {
        try await outbound.write(ByteBuffer(string: text))
    }
}
