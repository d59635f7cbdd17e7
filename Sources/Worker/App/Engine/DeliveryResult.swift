import Foundation
import Shared

/// What one claimed delivery came to, ready to be committed by the ``ResultWriter``.
struct DeliveryResult: Sendable {
    /// The state the delivery row moves to.
    enum Disposition: Sendable, Equatable {
        case succeeded(externalId: String?)
        /// Try again at `due`; `countsAsAttempt` is false for a rate-limit wait.
        case retrying(due: Date, countsAsAttempt: Bool)
        case dead
        /// Not sent: the lead cannot be reached on the channel (``DeliveryStatus/skipped``).
        case skipped
        /// Not worked (shutdown): back to `queued` and onto the stream for another worker.
        case handedBack
    }

    /// One attempt row for the processing log.
    struct Attempt: Sendable {
        var number: Int
        var startedAt: Date
        var durationMilliseconds: Int
        /// `succeeded`, `retryable` or `permanent`.
        var outcome: String
        var httpStatus: Int?
        var errorClass: String?
        var errorMessage: String?
        var responseExcerpt: String?
        /// What a message attempt sent (channel, address, SMS segments); nil for CRM calls.
        var message: OutboundMessage?
        /// The provider's id for the message it accepted (`SM…`, `wamid…`); nil otherwise.
        var providerMessageId: String?
        /// Built and logged but not sent (a dry-run destination).
        var dryRun = false
        /// `delivery_attempts.possible_duplicate`: nil when no earlier attempt may have sent the
        /// delivery; true when this one sent it again without proof the earlier one had not;
        /// false when the provider ruled a duplicate out.
        var possibleDuplicate: Bool?
    }

    var delivery: ClaimedDelivery
    var disposition: Disposition
    /// The attempt made, nil when none was (rate-limit wait, hand-back, unknown destination).
    var attempt: Attempt?
    /// The reason kept on the delivery (`last_error`), when there is one.
    var error: String?
    var errorClass: String?
    var httpStatus: Int?
    /// What this result does to the delivery's duplicate window (`deliveries.maybe_sent_since`).
    var duplicateWindow = DuplicateWindow.unchanged
    /// For a sequence step: when it finished by the worker's clock (the next step counts from
    /// it); nil for PostgreSQL's `now()`.
    var stepFinishedAt: Date?

    /// The `deliveries.status` the disposition stands for.
    var status: String {
        switch disposition {
        case .succeeded: "succeeded"
        case .retrying: "retrying"
        case .dead: "dead"
        case .skipped: "skipped"
        case .handedBack: "queued"
        }
    }

    /// Attempts counted on the row after this result: an attempt the destination's own fault made
    /// useless (a refused credential) is logged but not counted.
    var attemptsAfter: Int {
        if case .retrying(_, countsAsAttempt: false) = disposition { return delivery.previousAttempts }
        return delivery.previousAttempts + (attempt == nil ? 0 : 1)
    }
}
