import Foundation

extension DeliveryClassifier {
    /// `HTTP <status>: <the destination's message>`; the message comes from the JSON body
    /// (`message`, `error`, `errors`, `detail`, `title`), else the start of a non-HTML body.
    static func failureReason(_ response: DeliveryResponse, json: JSONValue?) -> String {
        let head = "HTTP \(response.status)"
        if let message = message(in: json) { return head + ": " + message }
        let text = String(decoding: response.body, as: UTF8.self)
            .split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
            .trimmingCharacters(in: .whitespaces)
        if !text.isEmpty && !text.hasPrefix("<") { return head + ": " + ResponseExcerpt.trim(text, limit: 200) }
        return head + (defaultMeaning(response.status).map { " (\($0))" } ?? "")
    }

    /// The human message in an error document, if it has one.
    static func message(in json: JSONValue?) -> String? {
        guard case .object(let members)? = json else { return nil }
        for key in ["message", "error", "errors", "detail", "error_description", "title"] {
            if let value = members[key], let text = messageText(value) { return text }
        }
        return nil
    }

    private static func messageText(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text):
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? nil : trimmed
        case .array(let items):
            let texts = items.compactMap(messageText)
            return texts.isEmpty ? nil : texts.joined(separator: "; ")
        case .object(let members):
            if let nested = message(in: value) { return nested }
            let texts = members.keys.sorted().compactMap { key in members[key].flatMap(messageText).map { "\(key): \($0)" } }
            return texts.isEmpty ? nil : texts.joined(separator: "; ")
        case .number, .bool, .null:
            return nil
        }
    }

    private static func defaultMeaning(_ status: Int) -> String? {
        switch status {
        case 401: "credential rejected"
        case 403: "forbidden"
        case 404: "not found"
        case 408: "request timeout"
        case 429: "rate limited"
        case 500...599: "server error"
        case 300...399: "redirect not followed"
        default: nil
        }
    }
}
