import Shared

/// The 202 answer of the bulk API: counts and one result per submitted item, in order.
struct LeadIngestResponse: Codable, Sendable {
    struct ItemResult: Codable, Sendable {
        var index: Int
        var status: String
        var leadId: Int64?
        var errors: [FieldIssue]?
        var warnings: [FieldIssue]?

        enum CodingKeys: String, CodingKey {
            case index, status, errors, warnings
            case leadId = "lead_id"
        }
    }

    var accepted: Int
    var duplicates: Int
    var rejected: Int
    var sourceId: String
    var results: [ItemResult]

    enum CodingKeys: String, CodingKey {
        case accepted, duplicates, rejected, results
        case sourceId = "source_id"
    }
}
