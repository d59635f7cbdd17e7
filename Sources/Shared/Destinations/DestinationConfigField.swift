/// One setting of a destination kind's non-secret `config`, as forms, `leadctl` and validation
/// see it. Every field may be written in camelCase or snake_case (``spellings``).
public struct DestinationConfigField: Sendable, Hashable {
    /// The JSON shape a field's value must have.
    public enum Shape: String, Sendable, Hashable {
        /// A string (a number is read as its text).
        case string
        /// A whole number, or a string of digits.
        case integer
        /// A list of strings (a single string counts as a list of one).
        case strings
        /// Any JSON object.
        case object
        /// An object whose values are strings (a field map).
        case stringMap = "string_map"
        /// `true` or `false`.
        case boolean
    }

    /// The spelling shown and documented (`locationId`, `field_map`).
    public var name: String
    /// The other accepted spelling (`location_id`, `fieldMap`), if any.
    public var alternateName: String?
    /// The shape the value must have.
    public var shape: Shape
    /// Whether a destination of this kind cannot deliver without it.
    public var isRequired: Bool
    /// One line for people: what the field does.
    public var help: String

    /// A field; `alternateName` is the other spelling the config may use.
    public init(_ name: String, _ alternateName: String? = nil, shape: Shape = .string, required: Bool = false, help: String) {
        self.name = name
        self.alternateName = alternateName
        self.shape = shape
        self.isRequired = required
        self.help = help
    }

    /// Every key this field may be stored under, the documented one first.
    public var spellings: [String] { [name] + (alternateName.map { [$0] } ?? []) }
}
