/// Why a Google service-account key cannot be used. The description names the field and never
/// quotes the key's contents.
public enum GoogleServiceAccountKeyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text is not a JSON object.
    case notJSON
    /// A required field is absent or empty.
    case missingField(String)
    /// A field is present but unusable, and why (the reason never holds the field's value when it is secret).
    case invalidField(String, reason: String)

    public var description: String {
        switch self {
        case .notJSON:
            "the service-account key is not a JSON object (paste the whole key file Google downloads)"
        case .missingField(let field):
            "the service-account key has no \(field)"
        case .invalidField(let field, let reason):
            "the service-account key's \(field) is invalid: \(reason)"
        }
    }
}
