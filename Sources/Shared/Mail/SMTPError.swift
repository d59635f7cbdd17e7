/// Sending mail failed: the step, the server's reply code when it refused, and its text. The
/// password is never part of it (AUTH commands are shown by name only).
public struct SMTPError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Where in the session it failed.
    public enum Step: String, Sendable, Hashable, CaseIterable {
        /// The server's greeting (220) after connecting.
        case greeting
        /// EHLO.
        case hello
        /// STARTTLS (the server must offer it), or the TLS handshake in either mode.
        case startTLS
        /// AUTH PLAIN or AUTH LOGIN.
        case authentication
        /// MAIL FROM.
        case sender
        /// RCPT TO.
        case recipient
        /// DATA, before the message.
        case data
        /// The server's answer to the message itself (after the final `.`).
        case message
        /// Reading a reply at all (the connection closed, or not SMTP).
        case connection
    }

    /// What a caller should do about it.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Try again later: a 4xx reply (421, 450, 451, 452…), or the connection dropped mid-session.
        case transient
        /// 535: the user name or password was refused; retrying will not help until they change.
        case credentialsRejected
        /// Any other 5xx reply, or something the configuration must change (no STARTTLS, no usable
        /// AUTH mechanism, an address that cannot be sent).
        case permanent
    }

    /// The step that failed.
    public var step: Step
    /// The server's reply code; nil when the failure is not a reply (a missing feature, a closed connection).
    public var code: Int?
    /// The server's reply text, or the reason.
    public var text: String
    /// Retry, stop for credentials, or give up.
    public var kind: Kind
    /// The whole message, e.g. "the server answered 550 5.1.1 … to RCPT TO:<a@b.c>".
    public var description: String

    /// The server answered `code` and `text` at `step`; `context` says to what, e.g. "to DATA" or
    /// "after connecting" (never a secret).
    public init(step: Step, code: Int, text: String, context: String) {
        self.step = step
        self.code = code
        self.text = text
        kind = Self.kind(ofReplyCode: code)
        description = "the server answered \(code) \(text) \(context)"
    }

    /// A failure that is not a reply: `reason` says what happened.
    public init(step: Step, kind: Kind, _ reason: String) {
        self.step = step
        code = nil
        text = reason
        self.kind = kind
        description = reason
    }

    /// 4xx: transient; 535: credentials; anything else: permanent.
    public static func kind(ofReplyCode code: Int) -> Kind {
        switch code {
        case 400..<500: .transient
        case 535: .credentialsRejected
        default: .permanent
        }
    }
}
