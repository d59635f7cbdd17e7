import Foundation

/// Why an attempt did not succeed, as a short stable word for `deliveries.last_error_class`,
/// `delivery_attempts.error_class` and metric labels.
public enum DeliveryErrorClass: String, Sendable, Hashable, CaseIterable {
    // Retryable
    /// No answer within the destination's timeout.
    case timeout
    /// Could not connect (refused, reset, DNS, TLS) or the connection dropped.
    case connection
    /// The attempt was cancelled (the worker is shutting down); nothing is known about the outcome.
    case cancelled
    /// Any other failure to talk to the destination.
    case transport
    /// 5xx.
    case serverError = "server_error"
    /// 429, or GoHighLevel's rate-limit headers say the budget is spent.
    case rateLimited = "rate_limited"
    /// A Cloudflare challenge page instead of the API's answer.
    case cloudflareChallenge = "cloudflare_challenge"
    /// 401/403: the credential is expired, revoked or lacks a scope.
    case authentication
    /// 408 and similar "try again" client statuses.
    case retryableStatus = "retryable_status"
    /// A messaging provider refused the credential itself (WhatsApp 190, Twilio 20003, SendGrid
    /// 401): the destination is suspended instead of every lead spending its attempts.
    case credentialRejected = "credential_rejected"
    /// A messaging provider stopped the sending account itself (WhatsApp 368/131031 policy block,
    /// 131048 spam limit, 132015 template paused): the destination is suspended like a refused
    /// credential until an operator fixes it.
    case accountBlocked = "account_blocked"

    /// Whether a failure of this class suspends the destination instead of failing the lead.
    public var suspendsDestination: Bool {
        self == .credentialRejected || self == .accountBlocked
    }

    // Permanent
    /// 400 with the CRM's reason.
    case badRequest = "bad_request"
    /// 404.
    case notFound = "not_found"
    /// 422 (GoHighLevel: a property it does not accept).
    case validation
    /// Another 4xx.
    case clientError = "client_error"
    /// A status the destination's success rules do not accept and no other rule covers (3xx, a 2xx
    /// outside `success_statuses`, a body failing `success_match`).
    case unexpectedResponse = "unexpected_response"
    /// The lead lacks a field the destination requires (Momence without email…). Nothing was sent.
    case invalidLead = "invalid_lead"
    /// The destination is misconfigured (no `locationId`, no URL, no credential…). Nothing was sent.
    case configuration

    // Skipped: not sent, not a failure of the destination
    /// The lead has no address on the channel: no E.164 phone for SMS or WhatsApp (none given, or
    /// one that could not be normalized), no email for email.
    case noAddress = "no_address"
    /// The lead's address opted out of the channel (STOP, an unsubscribe, an operator).
    case optedOut = "opted_out"
    /// A sequence step not sent because its enrollment ended first (a reply, an opt-out, a goal,
    /// a CRM status changed by a person, expiry).
    case sequenceEnded = "sequence_ended"

    /// Whether a failure of this class ends the delivery `skipped` rather than `dead`.
    public var skips: Bool {
        self == .noAddress || self == .optedOut || self == .sequenceEnded
    }
}
