/// A problem with one field of one input item: which field, and why, in words a user can act on.
public struct FieldIssue: Sendable, Hashable, Codable, Error {
    /// The field (`email`, `phone`, `first_name`, or `lead` for the item as a whole).
    public var field: String
    /// What is wrong.
    public var message: String

    /// Creates an issue for `field`.
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

extension Array where Element == FieldIssue {
    /// The issues as one row-level reason, `field: message; field: message` (CSV import error
    /// reports and polled sources' rejected rows).
    public var rowReason: String {
        map { "\($0.field): \($0.message)" }.joined(separator: "; ")
    }
}
