import Foundation

/// Writes a ``JSONValue`` as compact JSON with sorted keys (stable bodies, stable tests).
/// Numbers are written as their exact JSON text (ids keep every digit).
public enum JSONBodyWriter {
    /// The UTF-8 JSON text of `value`.
    public static func bytes(_ value: JSONValue) -> [UInt8] {
        var output = ""
        write(value, to: &output)
        return Array(output.utf8)
    }

    /// The JSON text of `value`.
    public static func text(_ value: JSONValue) -> String {
        var output = ""
        write(value, to: &output)
        return output
    }

    /// Appends the JSON text of `value` to `output`.
    static func write(_ value: JSONValue, to output: inout String) {
        switch value {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .number(let number): output += number.text
        case .string(let string): output += "\"" + escaped(string) + "\""
        case .array(let items):
            output += "["
            for (index, item) in items.enumerated() {
                if index > 0 { output += "," }
                write(item, to: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { output += "," }
                output += "\"" + escaped(key) + "\":"
                write(members[key] ?? .null, to: &output)
            }
            output += "}"
        }
    }

    /// `text` escaped for use inside a JSON string literal (without the quotes).
    public static func escaped(_ text: String) -> String {
        JSONStringEscaping.escaped(text)
    }
}
