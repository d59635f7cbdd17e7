import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// A local SMTP server for tests: real TCP on 127.0.0.1 (a free port), speaking enough of RFC
/// 5321 for a client (greeting, EHLO, STARTTLS or TLS from the first byte with a self-signed
/// ``Certificate``, AUTH PLAIN and LOGIN, MAIL FROM, RCPT TO, DATA, RSET, NOOP, QUIT), with
/// scripted refusals (``Step``). It records every command and every message exactly as received
/// (the DATA lines before and after removing dot-stuffing). Start one with
/// ``withRunning(rejectRecipients:tls:authMechanisms:replies:_:)``.
public final class SMTPStandIn: Sendable {
    /// One message received.
    public struct Message: Sendable {
        /// The client's EHLO/HELO argument.
        public var helo: String
        /// The user and password of AUTH PLAIN or LOGIN, when the client authenticated.
        public var authenticatedAs: (user: String, password: String)?
        /// `PLAIN` or `LOGIN`, when the client authenticated.
        public var authMechanism: String?
        /// Whether the message came over TLS (STARTTLS or from the first byte).
        public var overTLS: Bool
        public var mailFrom: String
        public var recipients: [String]
        /// The DATA lines as received (dot-stuffed), without the terminating `.`.
        public var rawLines: [String]
        /// The message after removing dot-stuffing, lines joined by CRLF.
        public var text: String
    }

    /// How the stand-in talks TLS.
    public enum TLS: Sendable {
        /// Offers STARTTLS (and AUTH only after it), then talks TLS with `certificate`.
        case starttls(Certificate)
        /// TLS with `certificate` from the first byte.
        case implicit(Certificate)
    }

    /// A step whose reply can be scripted, e.g. `[.recipient: "450 4.2.1 Mailbox busy"]`.
    public enum Step: Sendable, Hashable {
        /// Instead of the 220 to STARTTLS (TLS then does not start); may hold several lines.
        case startTLS
        /// After the AUTH PLAIN token or the AUTH LOGIN password.
        case authentication
        case mailFrom
        case recipient
        case data
        /// After the message's final `.`.
        case message
    }

    let state = Mutex<(port: Int, messages: [Message], commands: [String])>((0, [], []))
    /// `RCPT TO` addresses answered `550`.
    let rejectedRecipients: Set<String>
    let tls: TLS?
    /// The mechanisms EHLO offers.
    let authMechanisms: [String]
    let scriptedReplies: [Step: String]
    /// Answers 220 to STARTTLS and then neither starts TLS nor says anything more.
    let stallsTLSHandshake: Bool

    init(rejectRecipients: Set<String>, tls: TLS?, authMechanisms: [String], replies: [Step: String], stallsTLSHandshake: Bool) {
        rejectedRecipients = rejectRecipients
        self.tls = tls
        self.authMechanisms = authMechanisms
        scriptedReplies = replies
        self.stallsTLSHandshake = stallsTLSHandshake
    }

    /// The port it listens on.
    public var port: Int { state.withLock { $0.port } }
    /// Every message received, oldest first.
    public var messages: [Message] { state.withLock { $0.messages } }
    /// Every command line received (AUTH arguments included), oldest first.
    public var commands: [String] { state.withLock { $0.commands } }

    /// Runs a stand-in for the duration of `body`, then closes it. `authMechanisms` are offered in
    /// EHLO (an empty list offers no AUTH); `replies` replace the usual answer at a step. With
    /// `stallsTLSHandshake` it answers 220 to STARTTLS and then goes silent: a server stuck in the
    /// handshake.
    public static func withRunning<T: Sendable>(
        rejectRecipients: Set<String> = [],
        tls: TLS? = nil,
        authMechanisms: [String] = ["PLAIN"],
        replies: [Step: String] = [:],
        stallsTLSHandshake: Bool = false,
        _ body: (SMTPStandIn) async throws -> T
    ) async throws -> T {
        let standIn = SMTPStandIn(
            rejectRecipients: rejectRecipients,
            tls: tls,
            authMechanisms: authMechanisms,
            replies: replies,
            stallsTLSHandshake: stallsTLSHandshake
        )
        let implicitTLS: NIOSSLContext? = if case .implicit(let certificate) = tls { certificate.context } else { nil }
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { child in
                child.eventLoop.makeCompletedFuture {
                    if let implicitTLS { try child.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: implicitTLS)) }
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: child)
                }
            }
        standIn.state.withLock { $0.port = server.channel.localAddress?.port ?? 0 }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await withThrowingDiscardingTaskGroup { connections in
                    try await server.executeThenClose { inbound in
                        for try await connection in inbound {
                            connections.addTask { try? await standIn.serve(connection) }
                        }
                    }
                }
            }
            let result: Result<T, any Error>
            do {
                result = .success(try await body(standIn))
            } catch {
                result = .failure(error)
            }
            group.cancelAll()
            try? await server.channel.close()
            _ = try? await group.next()
            return try result.get()
        }
    }
}
