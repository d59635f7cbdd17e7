import Foundation
import Logging
import NIOCore
import NIOSSL

/// A small SMTP client (RFC 5321) on SwiftNIO: EHLO, STARTTLS (RFC 3207) or TLS from the first
/// byte when configured, AUTH PLAIN (else LOGIN) when credentials are configured, then MAIL FROM /
/// RCPT TO / DATA (dot-stuffed) per message, and QUIT. With an ``OutboundTargetChecker`` it
/// refuses private and loopback servers unless allowed, before connecting.
public struct SMTPClient: Sendable {
    public let configuration: SMTPConfiguration
    let logger: Logger
    /// The limit for one whole session.
    public var timeout: Duration
    /// Checks the server's addresses before connecting; nil: no check (an operator's own `SMTP_URL`).
    public var outboundChecker: OutboundTargetChecker?
    /// Private addresses are allowed for this server (a destination's own permission).
    public var allowPrivateNetwork: Bool

    /// A client for `configuration`. Pass `outboundChecker` when the server comes from a tenant's
    /// settings, so a private or loopback address is refused unless `allowPrivateNetwork`.
    public init(
        configuration: SMTPConfiguration,
        logger: Logger,
        timeout: Duration = .seconds(60),
        outboundChecker: OutboundTargetChecker? = nil,
        allowPrivateNetwork: Bool = false
    ) {
        self.configuration = configuration
        self.logger = logger
        self.timeout = timeout
        self.outboundChecker = outboundChecker
        self.allowPrivateNetwork = allowPrivateNetwork
    }

    /// Sends `messages` in one session (each to its own recipients) and returns the server's
    /// answer to each (250 and its text, which often names the queue id).
    ///
    /// - Throws: ``SMTPError`` with the step, the server's code and text (see ``SMTPError/kind``);
    ///   ``OutboundRefusal`` for a refused private server; ``TimeoutError``; or a connection or TLS error.
    @discardableResult
    public func send(_ messages: [SMTPMessage]) async throws -> [SMTPReply] {
        guard !messages.isEmpty else { return [] }
        for message in messages { try message.checkAddresses() }
        let client = self
        let configuration = configuration
        let replies = try await withTimeout(timeout, operation: "sending mail through \(configuration.host):\(configuration.port)") {
            let channel = try await Self.connect(configuration, addresses: try await client.checkedAddresses())
            return try await channel.executeThenClose { inbound, outbound in
                var session = SMTPSession(replies: SMTPReplyReader(inbound: inbound.makeAsyncIterator()), outbound: outbound)
                try await client.open(&session, channel: channel)
                var replies: [SMTPReply] = []
                for message in messages {
                    replies.append(try await client.transfer(message, in: &session))
                }
                _ = try? await session.command("QUIT", step: .connection, expect: 221)
                return replies
            }
        }
        logger.info(
            "mail sent",
            metadata: ["messages": "\(messages.count)", "server": "\(configuration.host)", "tls": "\(configuration.tls.rawValue)"]
        )
        return replies
    }

    /// The greeting, EHLO, STARTTLS and EHLO again when configured, and AUTH when there are credentials.
    func open(_ session: inout SMTPSession, channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async throws {
        do {
            try await session.expect(220, step: .greeting, after: "connecting")
        } catch let error as NIOSSLError {
            throw Self.tlsFailure(error, configuration)
        }
        var features = try await session.command("EHLO \(configuration.heloName)", step: .hello, expect: 250)
        if configuration.tls == .starttls {
            guard features.lines.contains(where: { $0.uppercased().hasPrefix("STARTTLS") }) else {
                throw SMTPError(step: .startTLS, kind: .permanent, "the server does not offer STARTTLS, and the configuration asks for it")
            }
            _ = try await session.command("STARTTLS", step: .startTLS, expect: 220)
            guard !session.replies.hasUnreadBytes else {
                throw SMTPError(step: .startTLS, kind: .permanent, "the server sent more after its 220 to STARTTLS (an injection?)")
            }
            do {
                try await Self.startTLS(on: channel, configuration)
            } catch let error as NIOSSLError {
                throw Self.tlsFailure(error, configuration)
            }
            features = try await session.command("EHLO \(configuration.heloName)", step: .hello, expect: 250)
        }
        if let username = configuration.username {
            try await session.authenticate(username: username, password: configuration.password ?? "", features: features)
        }
    }

    /// One message: MAIL FROM, RCPT TO each recipient, DATA, the message; the server's answer to it.
    func transfer(_ message: SMTPMessage, in session: inout SMTPSession) async throws -> SMTPReply {
        _ = try await session.command("MAIL FROM:<\(message.from)>", step: .sender, expect: 250)
        for recipient in message.to {
            _ = try await session.command("RCPT TO:<\(recipient)>", step: .recipient, expect: 250, 251)
        }
        _ = try await session.command("DATA", step: .data, expect: 354)
        try await session.write(message.dotStuffed)
        return try await session.expect(250, step: .message, after: "sending the message")
    }
}
