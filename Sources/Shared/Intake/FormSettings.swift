import Foundation

/// How a form source's hosted page looks and behaves, read from the source's `config`:
///
/// ```json
/// {"title": "Get a free roof inspection", "intro": "We call back within the hour.",
///  "fields": ["name", "email", "phone", "postal_code", "question"], "required": ["name", "phone"],
///  "question_label": "What do you need?", "submit_label": "Send", "consent": "By sending…",
///  "thank_you_url": "https://example.com/thanks", "thank_you_message": "We'll be in touch."}
/// ```
///
/// Every key is optional. A lead always needs an email or a phone, whatever `required` says.
public struct FormSettings: Sendable, Hashable {
    /// One input the hosted form can show.
    public enum Field: String, Sendable, CaseIterable {
        case name
        case firstName = "first_name"
        case lastName = "last_name"
        case email, phone
        case postalCode = "postal_code"
        case question

        /// The lead field the input fills.
        public var leadField: LeadField {
            switch self {
            case .name: .fullName
            case .firstName: .firstName
            case .lastName: .lastName
            case .email: .email
            case .phone: .phone
            case .postalCode: .postalCode
            case .question: .notes
            }
        }
    }

    /// The page's heading (the source's name by default).
    public var title: String
    /// A line under the heading.
    public var intro: String?
    /// The inputs shown, in order.
    public var fields: [Field]
    /// The inputs that must be filled in (only ones that are shown).
    public var required: Set<Field>
    /// Each input's label.
    public var labels: [Field: String]
    /// The submit button's text.
    public var submitLabel: String
    /// The consent text under the form.
    public var consent: String?
    /// Where a successful submit is redirected (303); the built-in thank-you page when nil.
    public var thankYouURL: String?
    /// The built-in thank-you page's text.
    public var thankYouMessage: String
    /// The hidden input bots fill in and people never see.
    public var honeypotName: String

    /// The inputs shown when `fields` is not configured.
    public static let defaultFields: [Field] = [.name, .email, .phone]
    /// The honeypot input's name when `honeypot_field` is not configured.
    public static let defaultHoneypot = "lr_website"

    /// Reads the settings of `source`, falling back to sensible defaults for anything missing or malformed.
    public init(source: Source) {
        let config = source.config
        title = config["title"]?.scalarText.flatMap(Self.nonEmpty) ?? source.name
        intro = config["intro"]?.scalarText.flatMap(Self.nonEmpty)
        let listed = Self.fieldList(config["fields"])
        fields = listed.isEmpty ? Self.defaultFields : listed
        required = Set(Self.fieldList(config["required"]).filter(fields.contains))
        var labels: [Field: String] = [
            .name: "Name", .firstName: "First name", .lastName: "Last name", .email: "Email",
            .phone: "Phone", .postalCode: "ZIP / postal code", .question: "How can we help?",
        ]
        if let question = config["question_label"]?.scalarText.flatMap(Self.nonEmpty) { labels[.question] = question }
        if case .object(let custom)? = config["labels"] {
            for (key, value) in custom {
                if let field = Field(rawValue: key), let text = value.scalarText.flatMap(Self.nonEmpty) { labels[field] = text }
            }
        }
        self.labels = labels
        submitLabel = config["submit_label"]?.scalarText.flatMap(Self.nonEmpty) ?? "Send"
        consent = config["consent"]?.scalarText.flatMap(Self.nonEmpty)
        thankYouURL = config["thank_you_url"]?.scalarText.flatMap(Self.nonEmpty).flatMap(Self.safeRedirect)
        thankYouMessage =
            config["thank_you_message"]?.scalarText.flatMap(Self.nonEmpty)
            ?? "Thanks — we received your details and will be in touch soon."
        honeypotName = config["honeypot_field"]?.scalarText.flatMap(Self.nonEmpty) ?? Self.defaultHoneypot
    }

    private static func nonEmpty(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    private static func fieldList(_ value: JSONValue?) -> [Field] {
        guard case .array(let items)? = value else { return [] }
        var seen = Set<Field>()
        return items.compactMap { $0.scalarText.flatMap(Field.init(rawValue:)) }.filter { seen.insert($0).inserted }
    }

    /// Only absolute http(s) URLs are followed, so a source's config cannot redirect to `javascript:`.
    private static func safeRedirect(_ text: String) -> String? {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http", url.host != nil else {
            return nil
        }
        return text
    }
}
