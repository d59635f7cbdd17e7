/// Why a webhook request is refused.
///
/// `status` is the HTTP status to answer (400, 401, 403, 415, 422, or 502 when an upstream
/// fetch answered nonsense) and `outcome` the `inbound_events` outcome (`bad_signature` or
/// `rejected`). `reason` is one line an operator can act on; it never contains a secret.
public struct WebhookRejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// The HTTP status to answer.
    public var status: Int
    /// The `inbound_events` outcome: `bad_signature` or `rejected`.
    public var outcome: String
    /// What is wrong, in words.
    public var reason: String

    /// Creates a rejection.
    public init(status: Int, outcome: String, reason: String) {
        self.status = status
        self.outcome = outcome
        self.reason = reason
    }

    /// A signature, token or timestamp check failed: 401 `bad_signature`.
    public static func badSignature(_ reason: String) -> Self {
        Self(status: 401, outcome: "bad_signature", reason: reason)
    }

    /// The payload cannot be used: `status` (400, 415, 422, 502) with outcome `rejected`.
    public static func rejected(_ status: Int, _ reason: String) -> Self {
        Self(status: status, outcome: "rejected", reason: reason)
    }

    /// `"<status> <outcome>: <reason>"`, e.g. `401 bad_signature: missing X-Hub-Signature-256 header`.
    public var description: String { "\(status) \(outcome): \(reason)" }
}
