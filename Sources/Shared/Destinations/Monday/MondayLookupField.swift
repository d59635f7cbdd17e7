import Foundation

/// The lead field whose value a `monday_status` destination searches its board for
/// (`lookup_by`, ``MondayItemLookup``): `phone` (E.164 as stored, `+972501234567`), `email`,
/// or `extra.<name>` (a field of the lead's extra).
enum MondayLookupField: Sendable, Hashable {
    /// The lead's phone, E.164 as stored.
    case phone
    /// The lead's email, as stored.
    case email
    /// `extra.<name>`: the lead's extra field `name`.
    case extra(String)

    /// What `extra.<name>` starts with.
    static let extraPrefix = "extra."

    /// The field `text` names; nil when it names none (`extra.` needs a name without spaces).
    init?(_ text: String) {
        switch text {
        case "phone": self = .phone
        case "email": self = .email
        case let text where text.hasPrefix(Self.extraPrefix):
            let name = String(text.dropFirst(Self.extraPrefix.count))
            guard !name.isEmpty, !name.contains(where: \.isWhitespace) else { return nil }
            self = .extra(name)
        default: return nil
        }
    }

    /// As configured: `phone`, `email`, `extra.<name>`.
    var name: String {
        switch self {
        case .phone: "phone"
        case .email: "email"
        case .extra(let name): Self.extraPrefix + name
        }
    }

    /// `lead`'s value of this field, trimmed; nil when it has none.
    func value(of lead: DeliveryLead) -> String? {
        let raw: String? =
            switch self {
            case .phone: lead.phone
            case .email: lead.email
            case .extra(let name): lead.extra[name]?.scalarText
            }
        guard let value = raw?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }
}
