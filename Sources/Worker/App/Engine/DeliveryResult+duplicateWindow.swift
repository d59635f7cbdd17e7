import Foundation
import Shared

extension DeliveryResult {
    /// How a result changes `deliveries.maybe_sent_since`, the start of the earliest attempt that
    /// may have sent the delivery without a definite answer.
    enum DuplicateWindow: Sendable, Equatable {
        /// As the claim found it.
        case unchanged
        /// This attempt, started at the date, may have sent the message (the earliest start is kept).
        case opened(Date)
        /// The provider ruled out that an earlier attempt sent it, and this one got a definite answer.
        case closed
    }

    /// `deliveries.maybe_sent_since` after this result; nil once the delivery succeeded.
    var maybeSentSinceAfter: Date? {
        if case .succeeded = disposition { return nil }
        let before = delivery.lead.maybeSentSince
        switch duplicateWindow {
        case .unchanged: return before
        case .opened(let start): return before.map { min($0, start) } ?? start
        case .closed: return nil
        }
    }
}
