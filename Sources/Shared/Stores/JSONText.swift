import Foundation

/// JSON text ↔ values for `jsonb` columns, which the stores read as `::text` and write as `$n::jsonb`.
public enum JSONText {
    /// `value` as compact JSON text with sorted keys (`{}` if it cannot be encoded).
    public static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String) -> T? {
        try? JSONDecoder().decode(type, from: Data(text.utf8))
    }

    /// A stored `jsonb` value, numbers with their exact text (PostgreSQL keeps a number's digits).
    static func decode(_ type: JSONValue.Type, from text: String) -> JSONValue? {
        try? JSONValue.parse(text)
    }

    static func object(_ text: String) -> [String: JSONValue] {
        decode(JSONValue.self, from: text)?.objectMembers ?? [:]
    }
}

extension JSONText {
    /// `value` as indented JSON text with sorted keys, for people to read.
    public static func pretty(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}
