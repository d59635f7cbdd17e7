import Foundation

/// Any JSON value; used for the free-form parts of a lead (`extra`, `raw`) and for config documents.
/// Untrusted and stored JSON is read with `JSONValue.parse(_:)`, which keeps every number's exact
/// text; `Codable` serves typed documents (numbers there are read exactly when they fit an integer
/// or a `Decimal`).
public enum JSONValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    /// A number, as the exact text it was written as.
    case number(JSONNumber)
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
            self = .number(Self.exactNumber(in: container, near: value))
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

    /// The number `container` holds (which decodes as the double `value`) with as many digits as
    /// the decoder gives: an integer when it is one, else a `Decimal`, else the double.
    private static func exactNumber(in container: any SingleValueDecodingContainer, near value: Double) -> JSONNumber {
        if let integer = try? container.decode(Int64.self) { return JSONNumber(integer) }
        if let integer = try? container.decode(UInt64.self) { return JSONNumber(integer) }
        if let decimal = try? container.decode(Decimal.self), decimal.isFinite,
            let number = JSONNumber(text: "\(decimal)"), number.doubleValue == value
        {
            return number
        }
        return JSONNumber(value) ?? JSONNumber(0)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try Self.encode(value, into: &container)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// A number for an `Encoder`, which cannot take JSON text: integers exactly, big integers as
    /// `Decimal` (exact to 38 digits), other numbers as their double.
    private static func encode(_ number: JSONNumber, into container: inout any SingleValueEncodingContainer) throws {
        if let integer = Int64(number.text) {
            try container.encode(integer)
        } else if let integer = UInt64(number.text) {
            try container.encode(integer)
        } else if !number.text.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 | 0x20 == UInt8(ascii: "e") }),
            let decimal = Decimal(string: number.text)
        {
            try container.encode(decimal)
        } else {
            try container.encode(number.doubleValue)
        }
    }

    /// The members of an object; nil for other values.
    public var objectMembers: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// A scalar rendered as text (a number as its exact JSON text); nil for null, arrays and objects.
    public var scalarText: String? {
        switch self {
        case .string(let value): value
        case .bool(let value): value ? "true" : "false"
        case .number(let value): value.text
        case .null, .array, .object: nil
        }
    }
}
