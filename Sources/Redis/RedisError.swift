/// An error reply sent by the server, e.g. `WRONGTYPE …`, `NOSCRIPT …`, `BUSYGROUP …`.
///
/// The connection that received it is still healthy.
public struct RedisServerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The server's message verbatim, e.g. `WRONGTYPE Operation against a key holding the wrong kind of value`.
    public var message: String

    /// An error with the server's message.
    public init(message: String) {
        self.message = message
    }

    /// The error code: the message's first word (`WRONGTYPE`, `NOSCRIPT`, `ERR`, …).
    public var code: String {
        String(self.message.prefix(while: { $0 != " " }))
    }

    /// The server's message.
    public var description: String {
        self.message
    }
}

/// A failure to reach or talk to the server: refused connection, timeout, closed
/// connection, protocol error, failed authentication, or a client that is shut down.
///
/// The message names `host:port` where that helps and never contains the password.
/// A command that fails with this error may or may not have been executed by the
/// server; the client never re-sends it on its own.
public struct RedisConnectionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, broadly.
    public enum Kind: Sendable, Hashable {
        /// The server refused the TCP connection or the host could not be resolved.
        case connectFailed
        /// No reply (or no connection) within the configured timeout.
        case timeout
        /// The server closed the connection.
        case closed
        /// Another I/O or protocol error; the connection was discarded.
        case io
        /// `AUTH` or `SELECT` was rejected while setting up the connection.
        case setupFailed
        /// The client was shut down.
        case shutdown
        /// A dedicated connection was used after its closure returned.
        case invalidUse
    }

    /// What went wrong, broadly.
    public var kind: Kind
    /// A human-readable explanation, e.g. `connection refused to 127.0.0.1:6399`.
    public var message: String

    /// An error of the given kind and message.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The explanation.
    public var description: String {
        self.message
    }
}

/// A reply whose shape did not match what a typed helper (e.g. ``RedisCommandSending/xadd(_:id:fields:maxLength:)``)
/// expected.
public struct RedisUnexpectedReplyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The command the reply belongs to, e.g. `XADD`.
    public var command: String
    /// The reply that could not be decoded.
    public var reply: RedisValue

    /// An error for `command`'s unexpected `reply`.
    public init(command: String, reply: RedisValue) {
        self.command = command
        self.reply = reply
    }

    /// The command and a rendering of the reply.
    public var description: String {
        "unexpected reply to \(self.command): \(self.reply)"
    }
}

extension Duration {
    /// The duration in seconds as short text for messages: `5 s`, `0.25 s`.
    var redisSecondsText: String {
        let (seconds, attoseconds) = self.components
        if attoseconds == 0 {
            return "\(seconds) s"
        }
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        let value = Double(milliseconds) / 1000
        return "\(value) s"
    }
}
