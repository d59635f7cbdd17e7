import Foundation

/// Reads one JSON object of a sequence definition: named members of the expected shapes, with
/// errors that name the member's path (`steps[2].after`), and no unknown member (a typo such as
/// `"unles"` is refused, not ignored).
struct SequenceJSONReader {
    let members: [String: JSONValue]
    /// The object's path: empty for the root, `window`, `steps[1]`.
    let path: String

    /// A reader of `value`, which must be an object, at `path`.
    init(_ value: JSONValue, path: String, allowed: Set<String>) throws(SequenceDefinitionError) {
        guard case .object(let members) = value else {
            throw SequenceDefinitionError(field: path.isEmpty ? "definition" : path, "must be a JSON object")
        }
        self.members = members
        self.path = path
        if let unknown = members.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw SequenceDefinitionError(field: field(unknown), "is not a setting; known: \(allowed.sorted().joined(separator: ", "))")
        }
    }

    /// `path.key`, or `key` at the root.
    func field(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The string member `key`; nil when absent or null.
    func string(_ key: String) throws(SequenceDefinitionError) -> String? {
        switch members[key] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        default: throw SequenceDefinitionError(field: field(key), "must be a string")
        }
    }

    /// The boolean member `key`; nil when absent or null.
    func boolean(_ key: String) throws(SequenceDefinitionError) -> Bool? {
        switch members[key] {
        case nil, .null?: return nil
        case .bool(let value)?: return value
        default: throw SequenceDefinitionError(field: field(key), "must be true or false")
        }
    }

    /// The array member `key` (empty when absent or null).
    func array(_ key: String) throws(SequenceDefinitionError) -> [JSONValue] {
        switch members[key] {
        case nil, .null?: return []
        case .array(let items)?: return items
        default: throw SequenceDefinitionError(field: field(key), "must be a list")
        }
    }

    /// The array member `key` of strings.
    func strings(_ key: String) throws(SequenceDefinitionError) -> [String] {
        var strings: [String] = []
        for (index, item) in try array(key).enumerated() {
            guard case .string(let text) = item else { throw SequenceDefinitionError(field: "\(field(key))[\(index)]", "must be a string") }
            strings.append(text)
        }
        return strings
    }

    /// The array member `key` of strings, each turned into a value by `parse`; an item it refuses
    /// is an error at `key[index]`: "`item` is not `expected`".
    func values<Value>(_ key: String, expected: String, _ parse: (String) -> Value?) throws(SequenceDefinitionError) -> [Value] {
        var values: [Value] = []
        for (index, text) in try strings(key).enumerated() {
            guard let value = parse(text) else { throw SequenceDefinitionError(field: "\(field(key))[\(index)]", "\(text) is not \(expected)") }
            values.append(value)
        }
        return values
    }

    /// The member `key` when present and not null.
    func value(_ key: String) -> JSONValue? {
        if case .null? = members[key] { return nil }
        return members[key]
    }
}
