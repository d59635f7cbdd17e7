import Foundation
import Shared

/// A delivery this worker claimed in PostgreSQL (`status = 'processing'`, `claimed_by` = this
/// worker), with the lead it carries and the stream entries that pointed at it.
struct ClaimedDelivery: Sendable {
    var id: Int64
    var destinationId: UUID
    /// Attempts made before this one.
    var previousAttempts: Int
    var lead: DeliveryLead
    /// Stream entry ids to acknowledge once the result is committed (duplicates included).
    var entryIds: [String]
    /// The sequence step it carries; nil for a lead's fan-out to a destination.
    var step: SequenceStepReference? = nil
}

/// One step of one enrollment: `index` ≥ 0 for the sequence's steps, negative for its
/// `on_reply` deliveries (which no step check stops).
struct SequenceStepReference: Sendable, Hashable {
    var enrollmentId: Int64
    var index: Int
}
