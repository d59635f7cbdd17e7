import Foundation

/// Bodies of generic and Zapier webhook sources: a JSON object (one lead), a JSON array of objects
/// (Zapier's "wrap in array"), or an `application/x-www-form-urlencoded` form (one lead).
public enum GenericWebhookPayload {
    /// The lead items of `body` as flat objects, values kept as received (form values as strings,
    /// a repeated form key's values joined with `", "`).
    ///
    /// `contentType` may carry parameters (`application/json; charset=utf-8`). JSON is recognised
    /// as `application/json`, `text/json` or any `+json` type; forms as
    /// `application/x-www-form-urlencoded` (`charset=iso-8859-1` honoured, UTF-8 otherwise). Without
    /// a content type the body is read as JSON when it starts with `{` or `[`, else as a form.
    ///
    /// - Throws: 400 `empty body`; 400 `malformed JSON: <where it broke>`; 415 for another content
    ///   type; 422 for JSON that is not an object or an array of objects, an empty array, or a
    ///   form without fields.
    public static func items(body: [UInt8], contentType: String?) throws(WebhookRejection) -> [[String: JSONValue]] {
        if WebhookJSON.isBlank(body) { throw .rejected(400, "empty body") }
        let mediaType = WebhookContentType(contentType)
        switch mediaType.kind(sniffing: body) {
        case .json:
            return try jsonItems(body)
        case .form:
            return try formItems(body, latin1: mediaType.isLatin1)
        case .unsupported(let name):
            throw .rejected(415, "unsupported content type \(name); send application/json or application/x-www-form-urlencoded")
        }
    }

    private static func jsonItems(_ body: [UInt8]) throws(WebhookRejection) -> [[String: JSONValue]] {
        let value = try WebhookJSON.parse(body)
        switch value {
        case .object(let object):
            return [object]
        case .array(let elements):
            guard !elements.isEmpty else { throw .rejected(422, "the JSON array holds no items") }
            var items: [[String: JSONValue]] = []
            items.reserveCapacity(elements.count)
            for (index, element) in elements.enumerated() {
                guard case .object(let object) = element else {
                    throw .rejected(422, "item \(index) of the JSON array is \(WebhookJSON.kind(of: element)), expected an object")
                }
                items.append(object)
            }
            return items
        default:
            throw .rejected(422, "expected a JSON object or an array of objects, got \(WebhookJSON.kind(of: value))")
        }
    }

    private static func formItems(_ body: [UInt8], latin1: Bool) throws(WebhookRejection) -> [[String: JSONValue]] {
        var values: [String: String] = [:]
        for (name, value) in FormURLEncoded.pairs(body, latin1: latin1) {
            if let existing = values[name] {
                values[name] = existing + ", " + value
            } else {
                values[name] = value
            }
        }
        guard !values.isEmpty else { throw .rejected(422, "the form holds no fields") }
        return [values.mapValues { .string($0) }]
    }
}
