/// Why a message template cannot be saved: a syntax error, a partial, or a name that is not a
/// lead field. The ``description`` is the sentence for the operator, e.g.
/// `body: unknown field {{frist_name}}; known: first_name, last_name, …, extra.<key>`.
public struct MessageTemplateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The configuration field that holds the template, e.g. `body` or `parameters[0]`.
    public var field: String
    /// What is wrong, without the field name.
    public var reason: String

    /// An error in the template held by `field`.
    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    /// `<field>: <reason>`.
    public var description: String { "\(field): \(reason)" }
}
