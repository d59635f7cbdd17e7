import Foundation

/// What to look leads up by: the operator's `leadctl leads show` argument or the dashboard's
/// search box. Emails match case-insensitively after normalization; phones match their E.164
/// form (normalized with the tenant's default region) or exactly as typed; names match any part
/// of "first last" case-insensitively; ids and external ids match exactly.
public enum LeadQuery: Sendable, Hashable {
    /// The lead with this id.
    case id(Int64)
    /// Leads with this email address.
    case email(String)
    /// Leads with this phone number.
    case phone(String)
    /// Leads whose "first last" name contains this text.
    case name(String)
    /// Leads with this sender id (Meta lead id, Shopmonkey id…).
    case externalId(String)
    /// A search box: an id, email, phone or external id exactly, or part of a name.
    case any(String)

    /// The query `leadctl leads show <id|email|phone>` means: an email when the text holds `@`,
    /// a phone when it starts with `+` or holds phone punctuation, an id or a phone when it is
    /// only digits (both are matched), nil when it is none of these.
    public init?(identifier text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        if trimmed.contains("@") {
            self = .email(trimmed)
        } else if trimmed.allSatisfy(\.isASCIIDigit) {
            // "12345" may be a lead id or a phone typed without punctuation: match both.
            self = .any(trimmed)
        } else if trimmed.contains(where: \.isASCIIDigit), trimmed.allSatisfy({ $0.isASCIIDigit || " +-().".contains($0) }) {
            self = .phone(trimmed)
        } else {
            return nil
        }
    }
}

extension Character {
    /// `0`–`9`.
    var isASCIIDigit: Bool { isASCII && isNumber }
}
