/// The byte-level JSON parser behind ``JSONValue/parse(_:)``: one pass over the buffer, an explicit
/// stack of open containers instead of recursion, strings without escapes made straight from the
/// buffer, numbers kept as their text.
struct JSONParser {
    typealias Failure = JSONNumberScanner.Failure

    /// An array or object being parsed. A struct (not an enum with the elements as payload) so
    /// that appending to the innermost one mutates it in place: taking an enum's payload out to
    /// append and putting it back copied the whole array or dictionary each time, which made a
    /// 50,000-element array take 20 s to parse.
    private struct OpenContainer {
        var isArray: Bool
        var items: [JSONValue] = []
        var members: [String: JSONValue] = [:]
        /// The key whose value is being parsed (objects).
        var key = ""

        static func array() -> OpenContainer { OpenContainer(isArray: true) }
        static func object(key: String) -> OpenContainer { OpenContainer(isArray: false, key: key) }
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// The one value `bytes` holds, with nothing but whitespace after it.
    mutating func parseDocument() throws(Failure) -> JSONValue {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        var stack: [OpenContainer] = []
        nextValue: while true {
            guard var completed = try parseScalarOrOpen(&stack) else { continue nextValue }
            // Attach the completed value to the innermost open container, closing containers as they end.
            while let top = stack.indices.last {
                skipWhitespace()
                if stack[top].isArray {
                    stack[top].items.append(completed)
                    if consume(UInt8(ascii: ",")) {
                        skipWhitespace()
                        if !consume(UInt8(ascii: "]")) { continue nextValue }
                    } else if !consume(UInt8(ascii: "]")) {
                        throw failure("expected ',' or ']' after an array element")
                    }
                    completed = .array(stack.removeLast().items)
                } else {
                    let key = stack[top].key
                    if stack[top].members[key] == nil { stack[top].members[key] = completed }
                    if consume(UInt8(ascii: ",")) {
                        skipWhitespace()
                        if !consume(UInt8(ascii: "}")) {
                            stack[top].key = try parseKey()
                            continue nextValue
                        }
                    } else if !consume(UInt8(ascii: "}")) {
                        throw failure("expected ',' or '}' after an object member")
                    }
                    completed = .object(stack.removeLast().members)
                }
            }
            skipWhitespace()
            guard index == bytes.count else { throw failure("unexpected data after the end of the JSON value") }
            return completed
        }
    }

    /// Parses a scalar or an empty container (returned), or opens a container onto `stack` (nil).
    private mutating func parseScalarOrOpen(_ stack: inout [OpenContainer]) throws(Failure) -> JSONValue? {
        skipWhitespace()
        guard index < bytes.count else { throw failure("the body ends where a value was expected") }
        switch bytes[index] {
        case UInt8(ascii: "["):
            guard stack.count < JSONValue.maximumParseDepth else { throw failure("nested too deep") }
            index += 1
            skipWhitespace()
            if consume(UInt8(ascii: "]")) { return .array([]) }
            stack.append(.array())
            return nil
        case UInt8(ascii: "{"):
            guard stack.count < JSONValue.maximumParseDepth else { throw failure("nested too deep") }
            index += 1
            skipWhitespace()
            if consume(UInt8(ascii: "}")) { return .object([:]) }
            stack.append(.object(key: try parseKey()))
            return nil
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try parseNumber())
        case UInt8(ascii: "t"): return try parseWord("true", .bool(true))
        case UInt8(ascii: "f"): return try parseWord("false", .bool(false))
        case UInt8(ascii: "n"): return try parseWord("null", .null)
        default: throw failure("expected a value")
        }
    }

    /// A key and its `:`, starting at the key's opening quote.
    private mutating func parseKey() throws(Failure) -> String {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw failure("expected a quoted object key") }
        let key = try parseString()
        skipWhitespace()
        guard consume(UInt8(ascii: ":")) else { throw failure("expected ':' after an object key") }
        return key
    }

    private mutating func parseWord(_ word: StaticString, _ value: JSONValue) throws(Failure) -> JSONValue {
        let count = word.utf8CodeUnitCount
        guard bytes.count - index >= count,
            UnsafeBufferPointer(start: word.utf8Start, count: count).elementsEqual(bytes[index..<(index + count)])
        else {
            throw failure("expected a value")
        }
        index += count
        return value
    }

    private mutating func parseNumber() throws(Failure) -> JSONNumber {
        let start = index
        var shape = JSONNumberScanner.Shape()
        if let failure = JSONNumberScanner.scan(bytes, &index, &shape) { throw failure }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        // Only an exponent or hundreds of digits can leave a double's range; most numbers skip the check.
        if shape.hasExponent || index - start > 300, JSONNumberScanner.isOutOfRange(text) {
            throw Failure(offset: start, reason: "number is out of range for a double")
        }
        return JSONNumber(validatedText: text)
    }

    /// A string starting at its opening quote; on return `index` is past the closing quote.
    private mutating func parseString() throws(Failure) -> String {
        index += 1
        let start = index
        var isASCII = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let content = UnsafeBufferPointer(rebasing: bytes[start..<index])
                index += 1
                if isASCII { return String(decoding: content, as: UTF8.self) }
                guard let text = String(validating: content, as: UTF8.self) else {
                    throw Failure(offset: start, reason: "invalid UTF-8 in a string")
                }
                return text
            }
            if byte == UInt8(ascii: "\\") { return try parseEscapedString(from: start) }
            if byte < 0x20 { throw failure("control character inside a string") }
            if byte >= 0x80 { isASCII = false }
            index += 1
        }
        throw Failure(offset: start - 1, reason: "unterminated string")
    }

    /// The rest of a string that holds escapes, its unescaped bytes collected from `start`.
    private mutating func parseEscapedString(from start: Int) throws(Failure) -> String {
        var output = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let text = String(validating: output, as: UTF8.self) else {
                    throw Failure(offset: start, reason: "invalid UTF-8 in a string")
                }
                return text
            case UInt8(ascii: "\\"):
                try appendEscape(to: &output)
            case 0x00..<0x20:
                throw failure("control character inside a string")
            default:
                output.append(byte)
                index += 1
            }
        }
        throw Failure(offset: start - 1, reason: "unterminated string")
    }

    /// Decodes the escape at `index` (its backslash) into `output`.
    private mutating func appendEscape(to output: inout [UInt8]) throws(Failure) {
        guard index + 1 < bytes.count else { throw failure("unterminated string") }
        let escaped = bytes[index + 1]
        let simple: UInt8? =
            switch escaped {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): escaped
            case UInt8(ascii: "b"): 0x08
            case UInt8(ascii: "f"): 0x0C
            case UInt8(ascii: "n"): 0x0A
            case UInt8(ascii: "r"): 0x0D
            case UInt8(ascii: "t"): 0x09
            default: nil
            }
        if let simple {
            output.append(simple)
            index += 2
            return
        }
        guard escaped == UInt8(ascii: "u"), let unit = hexUnit(at: index) else { throw failure("invalid escape in a string") }
        var scalarValue = UInt32(unit)
        if (0xDC00...0xDFFF).contains(unit) { throw failure("lone low surrogate in a string") }
        if (0xD800...0xDBFF).contains(unit) {
            guard let low = hexUnit(at: index + 6), (0xDC00...0xDFFF).contains(low) else {
                throw failure("high surrogate not followed by a low surrogate escape")
            }
            scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            index += 6
        }
        index += 6
        guard let scalar = Unicode.Scalar(scalarValue) else { throw failure("invalid escape in a string") }
        if let encoded = UTF8.encode(scalar) { output.append(contentsOf: encoded) }
    }

    /// The UTF-16 unit of a `\uXXXX` escape whose backslash is at `at`, or nil.
    private func hexUnit(at: Int) -> UInt16? {
        guard at + 6 <= bytes.count, bytes[at] == UInt8(ascii: "\\"), bytes[at + 1] == UInt8(ascii: "u") else { return nil }
        var unit: UInt16 = 0
        for byte in bytes[(at + 2)..<(at + 6)] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            unit = unit << 4 | UInt16(digit)
        }
        return unit
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private func failure(_ reason: String) -> Failure {
        Failure(offset: index, reason: reason)
    }
}
