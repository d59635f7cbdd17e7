import Foundation

/// Where and how mail is sent: `SMTP_URL` (`smtp://[user:password@]host[:port]`, port 25 by
/// default, `smtps://…` for implicit TLS, port 465 by default, or `smtp://…?tls=starttls` for
/// STARTTLS, port 587 by default) and `SMTP_FROM` (the sender address).
public struct SMTPConfiguration: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// STARTTLS, TLS from the first byte, or none.
    public var tls: SMTPTransportSecurity
    /// AUTH PLAIN or LOGIN credentials; nil: no authentication.
    public var username: String?
    public var password: String?
    /// The envelope and `From:` address.
    public var from: String
    /// Certificates (PEM) trusted besides the system's roots: a test's self-signed certificate,
    /// or a company's own certificate authority.
    public var additionalTrustRootsPEM: [String] = []

    /// Whether TLS starts with the connection (`smtps://`).
    public var implicitTLS: Bool {
        get { tls == .implicit }
        set { tls = newValue ? .implicit : (tls == .implicit ? .none : tls) }
    }

    /// The name sent with EHLO: the sender address's domain.
    public var heloName: String {
        from.split(separator: "@").last.map(String.init) ?? "localhost"
    }

    /// A configuration from its parts (a destination's settings); `port` nil means the default of `tls`.
    public init(host: String, port: Int? = nil, tls: SMTPTransportSecurity, username: String? = nil, password: String? = nil, from: String) {
        self.host = host
        self.port = port ?? tls.defaultPort
        self.tls = tls
        self.username = username
        self.password = password
        self.from = from
    }

    /// Parses `url` (see the type's documentation); `from` must be an email address.
    public init(url: String, from: String) throws(ConfigurationError) {
        let expected = "must look like smtp://user:password@host:port or smtps://…"
        guard let components = URLComponents(string: url.trimmingCharacters(in: .whitespacesAndNewlines)),
            let scheme = components.scheme?.lowercased(), scheme == "smtp" || scheme == "smtps",
            let host = components.host, !host.isEmpty
        else {
            throw ConfigurationError(variable: "SMTP_URL", expected: expected)
        }
        guard let address = EmailNormalizer.normalize(from) else {
            throw ConfigurationError(variable: "SMTP_FROM", expected: "must be an email address, e.g. digest@example.com")
        }
        var tls: SMTPTransportSecurity = scheme == "smtps" ? .implicit : .none
        if let value = components.queryItems?.first(where: { $0.name.lowercased() == "tls" })?.value?.lowercased() {
            guard let named = SMTPTransportSecurity(rawValue: value), scheme == "smtp" || named == .implicit else {
                throw ConfigurationError(variable: "SMTP_URL", expected: "tls= must be starttls, implicit or none (smtps:// is implicit)")
            }
            tls = named
        }
        self.init(
            host: host,
            port: components.port,
            tls: tls,
            username: components.user?.removingPercentEncoding.flatMap { $0.isEmpty ? nil : $0 },
            password: components.password?.removingPercentEncoding,
            from: address
        )
    }

    /// The server, TLS mode, user and sender, never the password.
    public var description: String {
        "SMTP \(username.map { "\($0)@" } ?? "")\(host):\(port) (TLS: \(tls.rawValue)) from \(from)"
    }

    /// The configuration from `SMTP_URL` and `SMTP_FROM`; nil when `SMTP_URL` is not set.
    public init?(environment: EnvironmentValues) throws(ConfigurationError) {
        guard let url = environment.string("SMTP_URL") else { return nil }
        let from = try environment.required("SMTP_FROM", expected: "the sender address of digests, e.g. digest@example.com")
        try self.init(url: url, from: from)
    }
}
