import Foundation

/// monday.com webhooks: the challenge handshake, `create_pulse` events, and the GraphQL item query
/// that fetches an item's column values.
public enum MondayPayload {
    /// The event a webhook body carries.
    ///
    /// - Throws: 400 for an empty or malformed body; 422 when it is neither `{"challenge": …}` nor
    ///   `{"event": {"type": …}}`, or a `create_pulse` lacks `boardId` / `pulseId`.
    public static func event(body: [UInt8]) throws(WebhookRejection) -> Event {
        let root = try WebhookJSON.object(body)
        if let challenge = root["challenge"] {
            guard let text = challenge.scalarText else { throw .rejected(422, "challenge is not a string") }
            return .challenge(text)
        }
        guard let event = root["event"]?.webhookObject else {
            throw .rejected(422, #"expected {"challenge": …} or {"event": {…}}"#)
        }
        guard let type = event["type"]?.webhookText else { throw .rejected(422, "the event has no type") }
        guard type == "create_pulse" else { return .other(type: type) }
        guard let boardID = event["boardId"]?.webhookInt64 else { throw .rejected(422, "create_pulse without boardId") }
        guard let pulseID = event["pulseId"]?.webhookInt64 else { throw .rejected(422, "create_pulse without pulseId") }
        return .createPulse(
            boardId: boardID,
            pulseId: pulseID,
            name: event["pulseName"]?.scalarText ?? "",
            columnValues: event["columnValues"]?.webhookObject ?? [:]
        )
    }

    /// The GraphQL request body that fetches one item's name and column texts:
    /// `{"query":"query { items(ids: [ID]) { id name column_values { id text } } }"}`.
    public static func itemQuery(pulseId: Int64) -> [UInt8] {
        Array(#"{"query":"query { items(ids: [\#(pulseId)]) { id name column_values { id text } } }"}"#.utf8)
    }

    /// The answer to ``itemQuery(pulseId:)`` as a flat object: `name` → the item's name, and each
    /// column `id` → its `text` (columns with empty or null text skipped; the name wins over a
    /// column called `name`).
    ///
    /// - Throws: 502 `rejected` for an empty or malformed answer, GraphQL `errors`, or no item.
    public static func itemFields(body: [UInt8]) throws(WebhookRejection) -> [String: JSONValue] {
        let root = try WebhookJSON.object(body, status: 502, what: "monday answer")
        if let errors = root["errors"]?.webhookArray, !errors.isEmpty {
            let messages = errors.map { $0.webhookObject?["message"]?.webhookText ?? $0.scalarText ?? "unknown error" }
            throw .rejected(502, "monday GraphQL error: \(messages.joined(separator: "; "))")
        }
        if let message = root["error_message"]?.webhookText {
            throw .rejected(502, "monday error: \(message)")
        }
        guard let items = root["data"]?.webhookObject?["items"]?.webhookArray else {
            throw .rejected(502, "the monday answer has no data.items")
        }
        guard let item = items.first?.webhookObject else {
            throw .rejected(502, "monday returned no item (deleted, or the token cannot see the board)")
        }
        var fields: [String: JSONValue] = [:]
        for column in item["column_values"]?.webhookArray ?? [] {
            guard let object = column.webhookObject, let id = object["id"]?.webhookText,
                let text = object["text"]?.webhookText
            else { continue }
            fields[id] = .string(text)
        }
        if let name = item["name"]?.webhookText { fields["name"] = .string(name) }
        return fields
    }

    /// The flat object of a `create_pulse` used without a fetch: `name` → the pulse name (when not
    /// empty), plus each column value flattened to its text where the shape is simple (`email`,
    /// `phone`, `url`, `text`, `value`, `label`, `date`, `address`, dropdown names, `checked`),
    /// kept as received otherwise; null and empty values skipped.
    public static func pulseFields(name: String, columnValues: [String: JSONValue]) -> [String: JSONValue] {
        var fields: [String: JSONValue] = [:]
        for (id, value) in columnValues {
            if let flat = flatten(value) { fields[id] = flat }
        }
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if !trimmed.isEmpty { fields["name"] = .string(trimmed) }
        return fields
    }

    /// One `columnValues` entry as text where simple; nil for null or empty.
    static func flatten(_ value: JSONValue) -> JSONValue? {
        switch value {
        case .null:
            return nil
        case .string(let text):
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { return nil }
            return .string(trimmed)
        case .number, .bool:
            return value
        case .array(let elements):
            let texts = elements.compactMap { flatten($0)?.scalarText }
            guard texts.count == elements.count else { return value }
            if texts.isEmpty { return nil }
            return .string(texts.joined(separator: ", "))
        case .object(let object):
            for key in ["email", "phone", "url", "text", "value"] {
                if let text = object[key]?.webhookText { return .string(text) }
            }
            if let label = object["label"] {
                if let text = label.webhookText ?? label.webhookObject?["text"]?.webhookText { return .string(text) }
            }
            if let date = object["date"]?.webhookText {
                if let time = object["time"]?.webhookText { return .string("\(date) \(time)") }
                return .string(date)
            }
            if let address = object["address"]?.webhookText { return .string(address) }
            if let chosen = object["chosenValues"]?.webhookArray {
                let names = chosen.compactMap { $0.webhookObject?["name"]?.webhookText ?? $0.webhookText }
                if names.isEmpty { return nil }
                return .string(names.joined(separator: ", "))
            }
            if case .bool(let checked)? = object["checked"] { return .string(checked ? "true" : "false") }
            if case .string(let checked)? = object["checked"] { return .string(checked) }
            let known: Set = ["email", "phone", "url", "text", "value", "label", "date", "address", "checked"]
            // A known column shape whose texts are all empty (an email column left blank) is no value.
            // (No `cond ? nil : value` here: JSONValue is ExpressibleByNilLiteral, so `nil` would become `.null`.)
            if object.isEmpty || object.keys.contains(where: known.contains) { return nil }
            return value
        }
    }
}
