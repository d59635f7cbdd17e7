import Foundation

/// A CRM endpoint leads are delivered to, with its delivery policy. The credential itself is
/// sealed in the database and never part of this value.
public struct Destination: Sendable, Hashable, Codable {
    public var id: UUID
    public var tenantId: UUID
    public var name: String
    public var kind: DestinationKind
    /// Non-secret settings: GHL `locationId`, Momence `hostId`/`sourceId`, HTTP URL and field mapping…
    public var config: [String: JSONValue]
    /// Overrides the CRM's base URL (sandboxes, tests).
    public var baseURL: String?
    /// Destinations with the same account key share one rate limit (a GHL location, a Momence host).
    public var accountKey: String
    public var rateLimitRequests: Int?
    public var rateLimitIntervalMilliseconds: Int?
    /// Delays between attempts, in seconds; nil uses the kind's default policy.
    public var retryScheduleSeconds: [Int]?
    public var maxAttempts: Int
    public var timeoutMilliseconds: Int
    public var hasSecret: Bool
    public var enabled: Bool
    /// Build and log the request, call nothing, mark the delivery succeeded.
    public var dryRun: Bool
    /// Calls to private, loopback and link-local addresses allowed for this destination (an
    /// on-premises CRM). Only operators may set it; tenant members cannot.
    public var allowPrivateNetwork: Bool = false
    public var createdAt: Date
    /// When the provider refused the credential (WhatsApp 190, Twilio 20003, SendGrid 401): the
    /// destination's deliveries wait, spending no attempts, until the credential is replaced.
    public var suspendedAt: Date?
    /// Why, in the provider's words (secret-free).
    public var suspendedReason: String?

    enum CodingKeys: String, CodingKey {
        case id, name, kind, config, enabled
        case tenantId = "tenant_id"
        case baseURL = "base_url"
        case accountKey = "account_key"
        case rateLimitRequests = "rate_limit_requests"
        case rateLimitIntervalMilliseconds = "rate_limit_interval_ms"
        case retryScheduleSeconds = "retry_schedule_seconds"
        case maxAttempts = "max_attempts"
        case timeoutMilliseconds = "timeout_ms"
        case hasSecret = "has_secret"
        case dryRun = "dry_run"
        case allowPrivateNetwork = "allow_private_network"
        case createdAt = "created_at"
        case suspendedAt = "suspended_at"
        case suspendedReason = "suspended_reason"
    }
}
