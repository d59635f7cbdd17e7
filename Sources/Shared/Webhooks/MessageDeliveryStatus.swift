/// The delivery status of a message we sent, on any channel, ranked so that late or duplicate
/// notifications never move a message backwards.
///
/// Ranks: `queued` / `accepted` 1 < `sending` 2 < `sent` 3 < `delivered` 4 < `read` 5;
/// `failed` / `undelivered` 6, except that a message already `delivered` or `read` stays so.
public enum MessageDeliveryStatus: String, Sendable, Hashable, CaseIterable {
    /// Accepted by the provider, waiting to be sent (Twilio without a Messaging Service).
    case queued
    /// Accepted by a Twilio Messaging Service, sender not yet chosen.
    case accepted
    /// Being handed to the carrier.
    case sending
    /// Handed to the carrier or to WhatsApp.
    case sent
    /// The handset received it.
    case delivered
    /// The person opened it (WhatsApp; Twilio for RCS/WhatsApp).
    case read
    /// It could not be sent.
    case failed
    /// The carrier could not deliver it.
    case undelivered

    /// 1 (`queued`, `accepted`) to 6 (`failed`, `undelivered`); the `status_rank` stored with a status.
    public var rank: Int {
        switch self {
        case .queued, .accepted: 1
        case .sending: 2
        case .sent: 3
        case .delivered: 4
        case .read: 5
        case .failed, .undelivered: 6
        }
    }

    /// True for `failed` and `undelivered`.
    public var isFailure: Bool { self == .failed || self == .undelivered }

    /// The status after `incoming` is reported for a message whose status is `self`: `incoming` when
    /// its rank is higher, unless it is a failure and `self` is already `delivered` or `read`;
    /// otherwise `self` (an equal rank keeps `self`, so a duplicate changes nothing).
    public func merged(with incoming: Self) -> Self {
        if incoming.isFailure, self == .delivered || self == .read { return self }
        return incoming.rank > rank ? incoming : self
    }

    /// A Twilio `status` / `MessageStatus` (any case); nil for the unranked ones (`scheduled`,
    /// `canceled`, `partially_delivered`, `receiving`, `received`, …).
    public static func from(twilio status: String) -> Self? {
        Self(rawValue: status.lowercased())
    }

    /// A WhatsApp `statuses[].status` (`sent`, `delivered`, `read`, `failed`; any case); nil for
    /// others (e.g. `played`, `deleted`).
    public static func from(whatsapp status: String) -> Self? {
        switch status.lowercased() {
        case "sent": .sent
        case "delivered": .delivered
        case "read": .read
        case "failed": .failed
        default: nil
        }
    }
}
