import Foundation

/// One submitted form turned into a lead input, with form-strict validation: a person typing into
/// a form can fix a mistyped phone or email, so those are errors here (the API keeps them flagged).
public struct FormSubmission: Sendable {
    /// The result of validating a submission.
    public enum Validation: Sendable {
        /// Ready to write.
        case valid(NormalizedLead)
        /// Messages keyed by the form's input names, and one for the form as a whole.
        case invalid([String: String], formError: String?)
    }

    /// The form's settings.
    public let settings: FormSettings
    /// The submission as a lead input.
    public let input: LeadInput
    /// What to put back into the inputs when the form is shown again.
    public let displayValues: [String: String]

    /// Maps the submitted name/value `pairs` (in order, names may repeat): the hosted form's inputs
    /// by name (`question` fills `notes`), any other website's field names through the source's
    /// field map and the usual aliases; unknown names are kept in `extra`. The honeypot and empty
    /// values are left out.
    public init(pairs: [(name: String, value: String)], settings: FormSettings, fieldMap: [String: String]) {
        self.settings = settings
        var merged: [(name: String, value: String)] = []
        var index: [String: Int] = [:]
        for (name, value) in pairs where name != settings.honeypotName {
            // Repeated names (checkbox groups) become one comma-separated value.
            if let position = index[name] {
                if !value.isEmpty { merged[position].value += merged[position].value.isEmpty ? value : ", " + value }
            } else {
                index[name] = merged.count
                merged.append((name, value))
            }
        }
        var input = LeadInput()
        var raw: [String: JSONValue] = [:]
        var display: [String: String] = [:]
        for (name, value) in merged {
            display[name] = value
            raw[name] = .string(value)
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { continue }
            let key = name == FormSettings.Field.question.rawValue && fieldMap[name] == nil ? LeadField.notes.rawValue : name
            input.assign(key: key, value: .string(trimmed), fieldMap: fieldMap)
        }
        input.raw = .object(raw)
        self.input = input
        self.displayValues = display
    }

    /// Checks required inputs, then normalizes for `region`.
    public func validate(region: String) -> Validation {
        var errors: [String: String] = [:]
        for field in settings.required where (input.fields[field.leadField] ?? "").isEmpty {
            errors[field.rawValue] = "\(settings.labels[field] ?? field.rawValue) is required"
        }
        switch LeadBatch([input], region: region).items.first ?? .invalid([]) {
        case .invalid(let issues):
            var formError: String?
            for issue in issues {
                if issue.message.hasPrefix("a lead needs") {
                    let showsPhone = settings.fields.contains(.phone)
                    let showsEmail = settings.fields.contains(.email)
                    let wanted = showsPhone && showsEmail ? "an email address or a phone number" : showsPhone ? "a phone number" : "an email address"
                    formError = "Please enter \(wanted) so we can reach you."
                    if showsEmail {
                        errors[FormSettings.Field.email.rawValue] =
                            errors[FormSettings.Field.email.rawValue] ?? "Enter an email address or a phone number"
                    }
                } else if let name = inputName(for: issue.field) {
                    errors[name] = errors[name] ?? Self.sentence(issue)
                } else {
                    formError = Self.sentence(issue)
                }
            }
            return .invalid(errors, formError: formError)
        case .valid(let lead):
            if lead.flags.contains("phone_invalid"), settings.fields.contains(.phone) {
                errors[FormSettings.Field.phone.rawValue] = "Enter a valid phone number"
            }
            if lead.flags.contains("email_invalid"), settings.fields.contains(.email) {
                errors[FormSettings.Field.email.rawValue] = "Enter a valid email address"
            }
            return errors.isEmpty ? .valid(lead) : .invalid(errors, formError: nil)
        }
    }

    /// The form input that shows `leadField`, if the form has one.
    private func inputName(for leadField: String) -> String? {
        let candidates: [FormSettings.Field] =
            switch leadField {
            case LeadField.firstName.rawValue: [.firstName, .name]
            case LeadField.lastName.rawValue: [.lastName, .name]
            case LeadField.fullName.rawValue: [.name, .firstName]
            case LeadField.email.rawValue: [.email]
            case LeadField.phone.rawValue: [.phone]
            case LeadField.postalCode.rawValue: [.postalCode]
            case LeadField.notes.rawValue: [.question]
            default: []
            }
        return candidates.first(where: settings.fields.contains)?.rawValue
    }

    private static func sentence(_ issue: FieldIssue) -> String {
        let field = issue.field.replacingOccurrences(of: "_", with: " ")
        return field.prefix(1).uppercased() + field.dropFirst() + " " + issue.message
    }
}
