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
}
