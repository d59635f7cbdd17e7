import Foundation

/// Any JSON value; used for the free-form parts of a lead (`extra`, `raw`) and for config documents.
public enum JSONValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Most common first (lead payloads are objects of strings): every miss costs a thrown error.
        // A miss that is more than "not this type here" (invalid UTF-8 in a string, a number out
        // of range, a failure inside an object) is the real reason and is what gets thrown, not
        // the last attempt's "expected an array".
        var reason: (any Error)?
        func attempt<T: Decodable>(_ type: T.Type) -> T? {
            do {
                return try container.decode(type)
            } catch {
                if reason == nil, !Self.isTypeMismatch(error, at: container.codingPath) { reason = error }
                return nil
            }
        }
        if container.decodeNil() {
            self = .null
        } else if let value = attempt(String.self) {
            self = .string(value)
        } else if let value = attempt([String: JSONValue].self) {
            self = .object(value)
        } else if let value = attempt(Bool.self) {
            self = .bool(value)
        } else if let value = attempt(Double.self) {
            self = .number(value)
        } else if let value = attempt([JSONValue].self) {
            self = .array(value)
        } else {
            throw reason ?? DecodingError.dataCorruptedError(in: container, debugDescription: "not a JSON value")
        }
    }

    /// Whether `error` only says that the value at `path` has another type.
    private static func isTypeMismatch(_ error: any Error, at path: [any CodingKey]) -> Bool {
        guard case DecodingError.typeMismatch(_, let context) = error else { return false }
        return context.codingPath.count == path.count
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// A scalar rendered as text (numbers without a trailing `.0`); nil for null, arrays and objects.
    public var scalarText: String? {
        switch self {
        case .string(let value): value
        case .bool(let value): value ? "true" : "false"
        case .number(let value):
            value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        case .null, .array, .object: nil
        }
    }
}
