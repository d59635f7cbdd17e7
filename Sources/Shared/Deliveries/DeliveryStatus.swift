import Foundation

/// The states of a delivery row (`deliveries.status`):
///
///     pending → queued → processing → succeeded
///                                   → retrying → queued → … → dead
///                                   → skipped
///     scheduled → queued → processing → …   (a sequence step waiting for its due time)
///
/// `skipped` ends a delivery that was never sent because the lead cannot be reached on the
/// destination's channel (no phone for SMS, no email for email, an opt-out): not a failure of
/// the destination, so it is neither retried nor a dead letter.
public enum DeliveryStatus: String, Sendable, Hashable, CaseIterable {
    case pending, queued, processing, succeeded, retrying, dead, skipped, scheduled

    /// The states of work not yet finished (the sweeper's and the queue gauges' set).
    public static let open: [DeliveryStatus] = [.pending, .queued, .processing, .retrying, .scheduled]

    /// Every state but `succeeded`, as `leadctl status` and `/metrics` count them.
    public static let counted: [DeliveryStatus] = allCases.filter { $0 != .succeeded }

    /// Whether the delivery is finished (`finished_at` is set).
    public var isFinished: Bool {
        self == .succeeded || self == .dead || self == .skipped
    }

    /// Whether an operator may put the delivery back in the queue.
    public var canBeRetried: Bool {
        self == .dead || self == .retrying || self == .skipped
    }

    /// The names, comma-separated, for help texts and errors: `pending, queued, …, skipped`.
    public static var names: String {
        allCases.map(\.rawValue).joined(separator: ", ")
    }
}
