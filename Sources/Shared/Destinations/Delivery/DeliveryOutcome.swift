import Foundation

/// The classified result of one delivery attempt (success, retryable or permanent; see docs/architecture.md, "Destinations").
/// Reasons and excerpts are trimmed and never contain the destination's secret.
public enum DeliveryOutcome: Sendable, Hashable {
    /// Delivered: 2xx, or GoHighLevel's "does not allow duplicated contacts" with the existing
    /// contact's id. `externalId` is the CRM's id for the lead when it gave one (`dry-run` for
    /// dry-run destinations); `httpStatus` is nil for dry runs.
    case succeeded(externalId: String?, httpStatus: Int?, responseExcerpt: String?)
    /// Try again later; `retryAfter` is the earliest moment the destination asked for
    /// (`Retry-After`, `X-RateLimit-*`), nil when it said nothing.
    case retryable(
        reason: String,
        httpStatus: Int?,
        retryAfter: Duration?,
        errorClass: DeliveryErrorClass,
        responseExcerpt: String?
    )
    /// Will never succeed as it stands: dead at once, with the reason.
    case permanent(reason: String, httpStatus: Int?, errorClass: DeliveryErrorClass, responseExcerpt: String?)
    /// Not sent, and not a failure: the lead cannot be reached on this channel (no phone for SMS,
    /// no email for email, an opt-out). The delivery ends `skipped` with the reason; no attempt
    /// is recorded and nothing is retried.
    case skipped(reason: String, errorClass: DeliveryErrorClass)
}
