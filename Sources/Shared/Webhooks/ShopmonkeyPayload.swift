import Foundation

/// Shopmonkey webhooks: `{"apiVersion", "operation": "INSERT|UPDATE|DELETE", "table", "data", "diff"}`.
/// Verify the request with ``WebhookSignatures/verifyStandardWebhook(id:timestamp:signatures:body:secret:now:tolerance:)`` first.
public enum ShopmonkeyPayload {
    /// The event `body` carries: a customer INSERT as a lead, anything else ignored.
    ///
    /// - Throws: 400 for an empty or malformed body; 422 when it is not an object, lacks `table` or
    ///   `operation`, or a customer INSERT has no `data` object.
    public static func event(body: [UInt8]) throws(WebhookRejection) -> Event {
        let root = try WebhookJSON.object(body)
        guard let table = root["table"]?.webhookText else { throw .rejected(422, "the event has no table") }
        guard let operation = root["operation"]?.webhookText else { throw .rejected(422, "the event has no operation") }
        guard table.lowercased() == "customer", operation.uppercased() == "INSERT" else {
            return .ignored("\(table) \(operation)")
        }
        guard let data = root["data"]?.webhookObject else { throw .rejected(422, "customer INSERT without a data object") }
        return .customer(lead(from: data))
    }

    /// A customer record (a webhook's `data`, or a record the API returns) as a flat lead object,
    /// with the same `external_id` (`shopmonkey:<id>`) either way: a customer received by webhook
    /// and by polling is one lead.
    public static func lead(fromCustomer data: [String: JSONValue]) -> [String: JSONValue] {
        lead(from: data)
    }

    /// The keys of `data` that ``lead(from:)`` maps itself.
    private static let mappedKeys: Set<String> = ["id", "firstName", "lastName", "emails", "phoneNumbers", "postalCode"]
    /// Lead fields the mapping sets; other scalar keys aliasing them would compete, so they are left out.
    private static let producedFields: Set<LeadField> = [.firstName, .lastName, .email, .phone, .postalCode, .externalId]

    /// A customer record as a flat lead object.
    static func lead(from data: [String: JSONValue]) -> [String: JSONValue] {
        var lead: [String: JSONValue] = [:]
        for (key, value) in data where !mappedKeys.contains(key) && value.webhookText != nil {
            if let field = LeadField(alias: key), producedFields.contains(field) { continue }
            lead[key] = value
        }
        if let first = data["firstName"]?.webhookText { lead["first_name"] = .string(first) }
        if let last = data["lastName"]?.webhookText { lead["last_name"] = .string(last) }
        if let email = preferred(data["emails"], valueKeys: ["email", "address", "value"]) { lead["email"] = .string(email) }
        if let phone = preferred(data["phoneNumbers"], valueKeys: ["number", "phone", "value"]) { lead["phone"] = .string(phone) }
        if let postal = data["postalCode"]?.webhookText { lead["postal_code"] = .string(postal) }
        if let id = data["id"]?.webhookText { lead["external_id"] = .string("shopmonkey:\(id)") }
        return lead
    }

    /// The primary entry of a list of `{"<value key>": …, "primary": true}` objects (or plain
    /// strings), else the first non-empty one.
    private static func preferred(_ list: JSONValue?, valueKeys: [String]) -> String? {
        guard let entries = list?.webhookArray else { return list?.webhookText }
        var first: String?
        for entry in entries {
            let text: String?
            var primary = false
            if let object = entry.webhookObject {
                text = valueKeys.lazy.compactMap { object[$0]?.webhookText }.first
                primary = object["primary"] == .bool(true)
            } else {
                text = entry.webhookText
            }
            guard let text else { continue }
            if primary { return text }
            if first == nil { first = text }
        }
        return first
    }
}
