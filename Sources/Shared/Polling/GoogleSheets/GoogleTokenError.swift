/// Why no access token could be had for a service account. Descriptions carry Google's own
/// reason and never the key, the assertion or a token.
public enum GoogleTokenError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The token endpoint refused the request (HTTP 4xx: `invalid_grant`, `invalid_client`,
    /// `invalid_scope`…): trying again will not help until the key, the account or the clock is fixed.
    case refused(status: Int, code: String?, detail: String?)
    /// The exchange failed in a way that may pass: HTTP 5xx or 429, `internal_failure`, a timeout,
    /// a connection failure, an unreadable answer.
    case unavailable(String)
    /// The request may not be made as configured: a token URL on a private network, not http(s),
    /// or a key that cannot sign.
    case misconfigured(String)

    /// Whether trying again later may succeed.
    public var isRetryable: Bool {
        if case .unavailable = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .refused(let status, let code, let detail):
            let reason = [code, detail].compactMap { $0 }.joined(separator: ": ")
            let hint =
                code == "invalid_grant"
                ? " (check that the key is current and not deleted, and that this server's clock is right)" : ""
            return "Google refused the service account's token request (HTTP \(status)"
                + (reason.isEmpty ? ")" : ", \(reason))") + hint
        case .unavailable(let reason):
            return "no Google access token for now: \(reason)"
        case .misconfigured(let reason):
            return "cannot request a Google access token: \(reason)"
        }
    }
}
