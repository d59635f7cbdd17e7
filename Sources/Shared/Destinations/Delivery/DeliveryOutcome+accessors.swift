import Foundation

extension DeliveryOutcome {
    /// `delivery_attempts.outcome`: `succeeded`, `retryable` or `permanent`; `skipped` (never an
    /// attempt row, only a metric label and a log word).
    public var name: String {
        switch self {
        case .succeeded: "succeeded"
        case .retryable: "retryable"
        case .permanent: "permanent"
        case .skipped: "skipped"
        }
    }

    /// Whether the delivery is done successfully.
    public var isSuccess: Bool {
        if case .succeeded = self { return true }
        return false
    }

    /// Whether another attempt may succeed.
    public var isRetryable: Bool {
        if case .retryable = self { return true }
        return false
    }

    /// The CRM's id for the lead, on success.
    public var externalId: String? {
        if case .succeeded(let externalId, _, _) = self { return externalId }
        return nil
    }

    /// The HTTP status the destination answered with; nil when there was no answer (or a dry run).
    public var httpStatus: Int? {
        switch self {
        case .succeeded(_, let status, _), .retryable(_, let status, _, _, _), .permanent(_, let status, _, _): status
        case .skipped: nil
        }
    }

    /// Why the attempt failed; nil on success.
    public var reason: String? {
        switch self {
        case .succeeded: nil
        case .retryable(let reason, _, _, _, _), .permanent(let reason, _, _, _), .skipped(let reason, _): reason
        }
    }

    /// The failure's class; nil on success.
    public var errorClass: DeliveryErrorClass? {
        switch self {
        case .succeeded: nil
        case .retryable(_, _, _, let errorClass, _), .permanent(_, _, let errorClass, _), .skipped(_, let errorClass): errorClass
        }
    }

    /// When the destination asked to be called again at the earliest (retryable outcomes only).
    public var retryAfter: Duration? {
        if case .retryable(_, _, let retryAfter, _, _) = self { return retryAfter }
        return nil
    }

    /// The trimmed, secret-free start of the response body, kept for reconciliation.
    public var responseExcerpt: String? {
        switch self {
        case .succeeded(_, _, let excerpt), .retryable(_, _, _, _, let excerpt), .permanent(_, _, _, let excerpt): excerpt
        case .skipped: nil
        }
    }
}
