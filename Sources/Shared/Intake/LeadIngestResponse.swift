/// The answer of the lead API (202) and of a form post: counts and one result per submitted item, in order.
public struct LeadIngestResponse: Codable, Sendable {
    /// What became of one item.
    public struct ItemResult: Codable, Sendable {
        /// The item's position in the request, from 0.
        public var index: Int
        /// `accepted`, `duplicate` or `rejected`.
        public var status: String
        /// The stored lead (new, or the one it duplicates).
        public var leadId: Int64?
        /// Why the item was rejected.
        public var errors: [FieldIssue]?
        /// What was accepted but looks wrong (e.g. an invalid phone kept as typed).
        public var warnings: [FieldIssue]?

        enum CodingKeys: String, CodingKey {
            case index, status, errors, warnings
            case leadId = "lead_id"
        }
    }

    /// Items stored as new leads.
    public var accepted: Int
    /// Items that matched a lead already stored.
    public var duplicates: Int
    /// Items not stored.
    public var rejected: Int
    /// The source the items were written to.
    public var sourceId: String
    /// One result per item, in order.
    public var results: [ItemResult]

    enum CodingKeys: String, CodingKey {
        case accepted, duplicates, rejected, results
        case sourceId = "source_id"
    }
}
