/// A lead field a message template can name, e.g. `{{first_name}}`. Keys of the lead's `extra`
/// object are named `{{extra.<key>}}` and are not cases here.
public enum MessageTemplateField: String, CaseIterable, Sendable, Hashable {
    case firstName = "first_name"
    case lastName = "last_name"
    case fullName = "full_name"
    case email
    case phone
    case postalCode = "postal_code"
    case notes
    case sourceName = "source_name"
    case tenantName = "tenant_name"

    /// The name that reaches the lead's `extra` object: `{{extra.<key>}}`.
    static let extraName = "extra"

    /// Every name a template may use, for error messages:
    /// `first_name, last_name, …, tenant_name, extra.<key>`.
    public static let knownNamesText = (allCases.map(\.rawValue) + ["\(extraName).<key>"]).joined(separator: ", ")

    /// Whether `name`, as a template writes it, is a field or one `extra` key (`extra.utm_source`;
    /// a key cannot contain `.`, which Mustache reads as a step into a nested value).
    static func isKnown(_ name: String) -> Bool {
        if Self(rawValue: name) != nil { return true }
        guard name.hasPrefix(extraName + ".") else { return false }
        let key = name.dropFirst(extraName.count + 1)
        return !key.isEmpty && !key.contains(".")
    }
}
