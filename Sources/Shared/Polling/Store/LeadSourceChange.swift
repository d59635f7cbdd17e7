import Foundation

/// A lead's record edited at its source after it was accepted (an edited sheet row): where, when,
/// and what it said before and after (`lead_source_changes`). The lead keeps what it arrived with.
public struct LeadSourceChange: Sendable, Hashable, Codable {
    /// One field whose value differs between ``LeadSourceChange/before`` and ``LeadSourceChange/after``.
    public struct Difference: Sendable, Hashable {
        public var field: String
        /// Nil when the field was not there before.
        public var before: String?
        /// Nil when the field is gone.
        public var after: String?

        /// Creates a difference.
        public init(field: String, before: String?, after: String?) {
            self.field = field
            self.before = before
            self.after = after
        }
    }

    public var id: Int64
    public var leadId: Int64
    public var sourceId: UUID
    public var at: Date
    /// Where the record is at the source (`Leads!A14`).
    public var location: String
    /// The record's non-empty fields before the edit.
    public var before: [String: JSONValue]
    /// The record's non-empty fields after the edit.
    public var after: [String: JSONValue]

    /// Creates a change.
    public init(id: Int64, leadId: Int64, sourceId: UUID, at: Date, location: String, before: [String: JSONValue], after: [String: JSONValue]) {
        self.id = id
        self.leadId = leadId
        self.sourceId = sourceId
        self.at = at
        self.location = location
        self.before = before
        self.after = after
    }

    /// The fields that differ, by name.
    public var differences: [Difference] {
        Set(before.keys).union(after.keys).sorted().compactMap { field in
            let old = before[field].map(Self.text)
            let new = after[field].map(Self.text)
            return old == new ? nil : Difference(field: field, before: old, after: new)
        }
    }

    /// A value as a cell shows it: a scalar's text, anything else as JSON.
    private static func text(_ value: JSONValue) -> String { value.scalarText ?? JSONText.encode(value) }

    enum CodingKeys: String, CodingKey {
        case id, at, location, before, after
        case leadId = "lead_id"
        case sourceId = "source_id"
    }
}
