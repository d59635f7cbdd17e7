/// How an SMTP connection is protected.
public enum SMTPTransportSecurity: String, Sendable, Hashable, CaseIterable, Codable {
    /// Plain TCP, then `STARTTLS` (RFC 3207) before anything else: submission on port 587.
    /// A server that does not offer it is refused, never spoken to in clear text.
    case starttls
    /// TLS from the first byte (`smtps://`, port 465).
    case implicit
    /// No TLS at all (`smtp://` without `?tls=`): a trusted relay on a private network only.
    case none

    /// The port used when none is given.
    public var defaultPort: Int {
        switch self {
        case .starttls: 587
        case .implicit: 465
        case .none: 25
        }
    }
}
