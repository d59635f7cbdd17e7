/// Compact JSON text for `JSONValue`s, written directly: the same text `JSONEncoder` makes with
/// `.sortedKeys` and `.withoutEscapingSlashes`, at a fraction of its cost (every webhook writes its
/// headers, each lead's extra and raw payload, and its answer) — except numbers, which are written
/// as their exact text (`1231231231231234`, not `1.231231231231234e+15`).
extension JSONValue {
    /// Appends this value's JSON text to `output`.
    public func writeJSON(into output: inout [UInt8]) {
        switch self {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let value): output.append(contentsOf: (value ? "true" : "false").utf8)
        case .number(let value): output.append(contentsOf: value.text.utf8)
        case .string(let value): Self.writeString(value, into: &output)
        case .array(let values):
            output.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                value.writeJSON(into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members): Self.writeObject(members, into: &output) { $1.writeJSON(into: &$0) }
        }
    }

    /// JSON text of an object whose members are written by `write`, keys sorted.
    static func writeObject<Value>(
        _ members: [String: Value],
        into output: inout [UInt8],
        _ write: (inout [UInt8], Value) -> Void
    ) {
        output.append(UInt8(ascii: "{"))
        for (index, key) in members.keys.sorted().enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            writeString(key, into: &output)
            output.append(UInt8(ascii: ":"))
            if let value = members[key] { write(&output, value) }
        }
        output.append(UInt8(ascii: "}"))
    }

    /// A JSON string literal: `"` and `\` escaped, control characters as `\n`-style or `\u00XX` escapes.
    static func writeString(_ string: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x00..<0x20:
                let digits = Array("0123456789abcdef".utf8)
                output.append(contentsOf: "\\u00".utf8)
                output.append(digits[Int(byte >> 4)])
                output.append(digits[Int(byte & 0x0F)])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}

extension JSONText {
    /// `object` as compact JSON text with sorted keys (see ``JSONValue/writeJSON(into:)``).
    public static func encode(_ object: [String: JSONValue]) -> String {
        String(decoding: bytes(object), as: UTF8.self)
    }

    /// `object` as compact JSON text with sorted keys.
    public static func encode(_ object: [String: String]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(64 * object.count + 2)
        JSONValue.writeObject(object, into: &output) { JSONValue.writeString($1, into: &$0) }
        return String(decoding: output, as: UTF8.self)
    }

    /// `value` as compact JSON text with sorted keys.
    public static func encode(_ value: JSONValue) -> String {
        var output: [UInt8] = []
        value.writeJSON(into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// `object` as compact JSON bytes with sorted keys.
    public static func bytes(_ object: [String: JSONValue]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(32 * object.count + 2)
        JSONValue.writeObject(object, into: &output) { $1.writeJSON(into: &$0) }
        return output
    }
}
