import Foundation

/// Dotted paths into JSON documents (`contact.id`, `data.0.id`: numeric segments index arrays),
/// used by field maps and response rules.
enum JSONPath {
    /// The value at `path` in `document`; nil when any segment is missing.
    static func value(in document: JSONValue, at path: String) -> JSONValue? {
        var current = document
        for segment in path.split(separator: ".", omittingEmptySubsequences: false) {
            switch current {
            case .object(let members):
                guard let next = members[String(segment)] else { return nil }
                current = next
            case .array(let items):
                guard let index = Int(segment), items.indices.contains(index) else { return nil }
                current = items[index]
            default:
                return nil
            }
        }
        return current
    }

    /// Sets `value` at `path` in `document`, creating objects (or replacing non-object values
    /// with objects) along the way.
    static func set(_ value: JSONValue, in document: inout JSONValue, at path: String) {
        let segments = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        set(value, in: &document, at: segments[...])
    }

    private static func set(_ value: JSONValue, in document: inout JSONValue, at segments: ArraySlice<String>) {
        guard let first = segments.first else {
            document = value
            return
        }
        var members: [String: JSONValue] = [:]
        if case .object(let existing) = document { members = existing }
        var child = members[first] ?? .object([:])
        set(value, in: &child, at: segments.dropFirst())
        members[first] = child
        document = .object(members)
    }

    /// Objects merged key by key (nested objects recursively); any other `overlay` replaces `base`.
    static func merge(_ base: JSONValue, with overlay: JSONValue) -> JSONValue {
        guard case .object(var members) = base, case .object(let incoming) = overlay else { return overlay }
        for (key, value) in incoming {
            members[key] = members[key].map { merge($0, with: value) } ?? value
        }
        return .object(members)
    }
}
