import Foundation

/// JSON parsing for webhook bodies and upstream answers, with errors as ``WebhookRejection``s.
enum WebhookJSON {
    /// True when `body` holds nothing but whitespace.
    static func isBlank(_ body: [UInt8]) -> Bool {
        body.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    }

    /// Parses `body`; `status` is the status of the rejection for an empty or malformed body
    /// (400 for inbound webhooks, 502 for an upstream API's answer). `what` names the body in reasons.
    static func parse(_ body: [UInt8], status: Int = 400, what: String = "body") throws(WebhookRejection) -> JSONValue {
        if isBlank(body) { throw .rejected(status, what == "body" ? "empty body" : "empty \(what)") }
        do {
            return try JSONValue.parse(body)
        } catch {
            let prefix = what == "body" ? "malformed JSON" : "malformed JSON in \(what)"
            throw .rejected(status, "\(prefix): \(error.description)")
        }
    }

    /// Parses `body` and requires a JSON object (422 otherwise, or `status` when `status` is not 400).
    static func object(_ body: [UInt8], status: Int = 400, what: String = "body") throws(WebhookRejection) -> [String: JSONValue] {
        let value = try parse(body, status: status, what: what)
        guard case .object(let object) = value else {
            throw .rejected(status == 400 ? 422 : status, "expected a JSON object, got \(kind(of: value))")
        }
        return object
    }

    /// `"an array"`, `"a string"`, … for reasons.
    static func kind(of value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// Accessors used by the webhook parsers (prefixed so they cannot clash with other extensions).
extension JSONValue {
    /// The object this value holds, if any.
    var webhookObject: [String: JSONValue]? {
        if case .object(let object) = self { return object }
        return nil
    }

    /// The array this value holds, if any.
    var webhookArray: [JSONValue]? {
        if case .array(let array) = self { return array }
        return nil
    }

    /// The string this value holds, if any (numbers are not converted).
    var webhookString: String? {
        if case .string(let string) = self { return string }
        return nil
    }

    /// A whole number held as a JSON number or as a string of digits (exactly, or nil).
    var webhookInt64: Int64? {
        switch self {
        case .number(let value):
            return value.int64Value
        case .string(let text):
            return Int64(text.trimmingCharacters(in: .whitespaces))
        default:
            return nil
        }
    }

    /// ``scalarText`` trimmed, nil when empty.
    var webhookText: String? {
        guard let text = scalarText?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return text
    }
}
