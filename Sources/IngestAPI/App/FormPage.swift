import Shared

/// What the form template shows: the source's settings plus, after a failed submit, the values
/// the person typed and a message per field.
struct FormPage: Sendable {
    /// One input of the form.
    struct FieldView: Sendable {
        var name: String
        var label: String
        var type: String
        var autocomplete: String
        var inputMode: String?
        var value: String
        var required: Bool
        var error: String?
        var isTextarea: Bool
    }

    var title: String
    var intro: String?
    var action: String
    var fields: [FieldView]
    var submitLabel: String
    var consent: String?
    var formError: String?
    var honeypotName: String

    /// The page for `settings`, with `values` filled in and `errors` (keyed by input name) shown.
    init(settings: FormSettings, action: String, values: [String: String] = [:], errors: [String: String] = [:], formError: String? = nil) {
        title = settings.title
        intro = settings.intro
        self.action = action
        submitLabel = settings.submitLabel
        consent = settings.consent
        self.formError = formError
        honeypotName = settings.honeypotName
        fields = settings.fields.map { field in
            let (type, autocomplete, inputMode): (String, String, String?) =
                switch field {
                case .name: ("text", "name", nil)
                case .firstName: ("text", "given-name", nil)
                case .lastName: ("text", "family-name", nil)
                case .email: ("email", "email", "email")
                case .phone: ("tel", "tel", "tel")
                case .postalCode: ("text", "postal-code", nil)
                case .question: ("text", "off", nil)
                }
            return FieldView(
                name: field.rawValue,
                label: settings.labels[field] ?? field.rawValue,
                type: type,
                autocomplete: autocomplete,
                inputMode: inputMode,
                value: values[field.rawValue] ?? "",
                required: settings.required.contains(field),
                error: errors[field.rawValue],
                isTextarea: field == .question
            )
        }
    }
}
