import Foundation
import Shared

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
struct FormSettings: Sendable, Hashable {
    /// One input the hosted form can show.
    enum Field: String, Sendable, CaseIterable {
        case name
        case firstName = "first_name"
        case lastName = "last_name"
        case email, phone
        case postalCode = "postal_code"
        case question

        /// The lead field the input fills.
        var leadField: LeadField {
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

    var title: String
    var intro: String?
    var fields: [Field]
    var required: Set<Field>
    var labels: [Field: String]
    var submitLabel: String
    var consent: String?
    /// Where a successful submit is redirected (303); the built-in thank-you page when nil.
    var thankYouURL: String?
    var thankYouMessage: String
    /// The hidden input bots fill in and people never see.
    var honeypotName: String

    static let defaultFields: [Field] = [.name, .email, .phone]
    static let defaultHoneypot = "lr_website"

    /// Reads the settings of `source`, falling back to sensible defaults for anything missing or malformed.
    init(source: Source) {
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
