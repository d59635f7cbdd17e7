import Foundation

extension DeliveryLead {
    /// The names destination configs use to pick lead values (`field_map`, `custom_fields`).
    /// Anything else names a key of ``extra``, matched exactly first, then case- and
    /// punctuation-insensitively (`"Vehicle Make"` finds `vehicle_make`); `extra.<key>` forces `extra`.
    public static let standardFieldNames = [
        "first_name", "last_name", "full_name", "email", "phone", "phone_raw", "postal_code", "notes",
        "external_id", "lead_id", "source", "received_at",
    ]

    /// The lead's value for a field name (see ``standardFieldNames``); nil when the lead has none.
    /// Empty strings and JSON nulls count as missing.
    public func value(forField name: String) -> JSONValue? {
        let value: JSONValue? =
            switch name {
            case "first_name": firstName.map(JSONValue.string)
            case "last_name": lastName.map(JSONValue.string)
            case "full_name": fullName.map(JSONValue.string)
            case "email": email.map(JSONValue.string)
            case "phone": phone.map(JSONValue.string)
            case "phone_raw": phoneRaw.map(JSONValue.string)
            case "postal_code": postalCode.map(JSONValue.string)
            case "notes": notes.map(JSONValue.string)
            case "external_id": externalId.map(JSONValue.string)
            case "lead_id": .number(JSONNumber(id))
            case "source": sourceName.map(JSONValue.string)
            case "received_at": .string(Self.timestampFormat.format(receivedAt))
            default: extraValue(named: name.hasPrefix("extra.") ? String(name.dropFirst(6)) : name)
            }
        switch value {
        case .none, .null?: return nil
        case .string(let text)? where text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty: return nil
        case let present?: return present
        }
    }

    private func extraValue(named key: String) -> JSONValue? {
        if let exact = extra[key] { return exact }
        let wanted = LeadField.aliasKey(key)
        return extra.keys.sorted().first { LeadField.aliasKey($0) == wanted }.flatMap { extra[$0] }
    }

    private static let timestampFormat = Date.ISO8601FormatStyle(includingFractionalSeconds: false)
}
