import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// A local SMTP server for tests: real TCP on 127.0.0.1 (a free port), speaking enough of RFC
/// 5321 for a client (greeting, EHLO with `AUTH PLAIN`, AUTH PLAIN, MAIL FROM, RCPT TO, DATA,
/// RSET, NOOP, QUIT). It records every session and every message exactly as received (the DATA
/// lines before and after removing dot-stuffing). Start one with ``withRunning(rejectRecipients:_:)``.
public final class SMTPStandIn: Sendable {
    /// One message received.
    public struct Message: Sendable {
        /// The client's EHLO/HELO argument.
        public var helo: String
        /// The user and password of AUTH PLAIN, when the client authenticated.
        public var authenticatedAs: (user: String, password: String)?
        public var mailFrom: String
        public var recipients: [String]
        /// The DATA lines as received (dot-stuffed), without the terminating `.`.
        public var rawLines: [String]
        /// The message after removing dot-stuffing, lines joined by CRLF.
        public var text: String

        /// The value of header `name` (case-insensitive), from the header block.
        public func header(_ name: String) -> String? {
            for line in text.components(separatedBy: "\r\n") {
                if line.isEmpty { return nil }
                let parts = line.split(separator: ":", maxSplits: 1)
                if parts.count == 2, parts[0].caseInsensitiveCompare(name) == .orderedSame {
                    return parts[1].trimmingCharacters(in: .whitespaces)
                }
            }
            return nil
        }

        /// Everything after the blank line ending the headers.
        public var body: String {
            guard let range = text.range(of: "\r\n\r\n") else { return "" }
            return String(text[range.upperBound...])
        }
    }

    let state = Mutex<(port: Int, messages: [Message], commands: [String])>((0, [], []))
    /// `RCPT TO` addresses answered `550`.
    let rejectedRecipients: Set<String>

    init(rejectRecipients: Set<String>) {
        rejectedRecipients = rejectRecipients
    }

    /// The port it listens on.
    public var port: Int { state.withLock { $0.port } }
    /// Every message received, oldest first.
    public var messages: [Message] { state.withLock { $0.messages } }
    /// Every command line received (AUTH arguments included), oldest first.
    public var commands: [String] { state.withLock { $0.commands } }

    /// Runs a stand-in for the duration of `body`, then closes it.
    public static func withRunning<T: Sendable>(
        rejectRecipients: Set<String> = [],
        _ body: (SMTPStandIn) async throws -> T
    ) async throws -> T {
        let standIn = SMTPStandIn(rejectRecipients: rejectRecipients)
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { child in
                child.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: child) }
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
