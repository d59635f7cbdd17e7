import Foundation

/// Where and how mail is sent: `SMTP_URL` (`smtp://[user:password@]host[:port]`, port 25 by
/// default, or `smtps://…` for implicit TLS, port 465 by default) and `SMTP_FROM` (the sender address).
public struct SMTPConfiguration: Sendable, Equatable {
    public var host: String
    public var port: Int
    /// Connect with TLS from the first byte (`smtps://`). STARTTLS is not supported.
    public var implicitTLS: Bool
    /// AUTH PLAIN credentials; nil: no authentication.
    public var username: String?
    public var password: String?
    /// The envelope and `From:` address.
    public var from: String

    /// The name sent with EHLO: the sender address's domain.
    public var heloName: String {
        from.split(separator: "@").last.map(String.init) ?? "localhost"
    }

    /// Parses `url` (see the type's documentation); `from` must be an email address.
    public init(url: String, from: String) throws(ConfigurationError) {
        guard let components = URLComponents(string: url.trimmingCharacters(in: .whitespacesAndNewlines)),
            let scheme = components.scheme?.lowercased(), scheme == "smtp" || scheme == "smtps",
            let host = components.host, !host.isEmpty
        else {
            throw ConfigurationError(variable: "SMTP_URL", expected: "must look like smtp://user:password@host:port or smtps://…")
        }
        guard let address = EmailNormalizer.normalize(from) else {
            throw ConfigurationError(variable: "SMTP_FROM", expected: "must be an email address, e.g. digest@example.com")
        }
        self.host = host
        implicitTLS = scheme == "smtps"
        port = components.port ?? (implicitTLS ? 465 : 25)
        username = components.user?.removingPercentEncoding.flatMap { $0.isEmpty ? nil : $0 }
        password = components.password?.removingPercentEncoding
        self.from = address
    }

    /// The configuration from `SMTP_URL` and `SMTP_FROM`; nil when `SMTP_URL` is not set.
    public init?(environment: EnvironmentValues) throws(ConfigurationError) {
        guard let url = environment.string("SMTP_URL") else { return nil }
        let from = try environment.required("SMTP_FROM", expected: "the sender address of digests, e.g. digest@example.com")
        try self.init(url: url, from: from)
    }
}
