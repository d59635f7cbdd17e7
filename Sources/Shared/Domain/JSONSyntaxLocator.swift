import CSVReader
import Foundation

/// Where a JSON text breaks, for error messages: Foundation's parser on Linux only says "The given
/// data was not valid JSON.", which tells an integrator nothing. Run only after a decode failed,
/// so it costs nothing on the happy path. Iterative (no recursion), so any nesting depth is safe.
public enum JSONSyntaxLocator {
    /// The first problem in a JSON text.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        /// 1-based line of the problem.
        public var line: Int
        /// 1-based column (in bytes) within that line.
        public var column: Int
        /// 0-based byte offset from the start of the body.
        public var offset: Int
        /// What is wrong there.
        public var reason: String

        /// "line 3, column 14 (byte 57): expected ',' or '}' after an object member, found '\"'".
        public var description: String { "line \(line), column \(column) (byte \(offset)): \(reason)" }
    }

    /// Containers nested deeper than this are refused (Foundation's parser refuses 512 levels).
    public static let maximumDepth = 511

    private enum Container { case array, object }

    private enum Expecting {
        /// A value (document start, after `[`, `,` in an array, `:` in an object).
        case value
        /// A value or `]` (right after `[`).
        case valueOrArrayEnd
        /// A key or `}` (right after `{`).
        case keyOrObjectEnd
        /// A key (after `,` in an object).
        case key
        /// `:` after a key.
        case colon
        /// `,` or the container's end, after a value inside a container.
        case separatorOrEnd
        /// Nothing but whitespace (the top-level value is complete).
        case end
    }

    /// The first problem in `bytes` (UTF-8 JSON) — its syntax, or a number no Double can hold — or
    /// nil when the text is well-formed JSON.
    public static func locate(_ bytes: some Collection<UInt8>) -> Problem? {
        let bytes = Array(bytes)
        var index = 0
        var stack: [Container] = []
        var expecting = Expecting.value

        func problem(at offset: Int, _ reason: String) -> Problem {
            var line = 1
            var lineStart = 0
            for position in 0..<min(offset, bytes.count) where bytes[position] == 0x0A {
                line += 1
                lineStart = position + 1
            }
            return Problem(line: line, column: offset - lineStart + 1, offset: offset, reason: reason)
        }
        func found(_ offset: Int) -> String {
            guard offset < bytes.count else { return "the end of the body" }
            let byte = bytes[offset]
            if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
            return "byte 0x\(String(byte, radix: 16, uppercase: true))"
        }
        func afterValue() {
            expecting = stack.isEmpty ? .end : .separatorOrEnd
        }

        // UTF-16/32 bodies (which Foundation also reads) are not located byte by byte.
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) || bytes.prefix(4).contains(0) && bytes.count >= 2 {
            return nil
        }
        // A UTF-8 byte order mark is tolerated, as Foundation does.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        if bytes.count - index == 0 { return problem(at: 0, "the body is empty") }

        while true {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
            guard index < bytes.count else {
                if expecting == .end { return nil }
                if let open = stack.last {
                    return problem(at: index, "the body ends inside an unclosed \(open == .array ? "array" : "object")")
                }
                return problem(at: index, "the body ends where a value was expected")
            }
            let byte = bytes[index]
            switch expecting {
            case .end:
                return problem(at: index, "unexpected \(found(index)) after the end of the JSON value")
            case .colon:
                guard byte == UInt8(ascii: ":") else { return problem(at: index, "expected ':' after an object key, found \(found(index))") }
                index += 1
                expecting = .value
            case .separatorOrEnd:
                let inArray = stack.last == .array
                if byte == UInt8(ascii: ",") {
                    index += 1
                    expecting = inArray ? .value : .key
                } else if byte == UInt8(ascii: inArray ? "]" : "}") {
                    index += 1
                    stack.removeLast()
                    afterValue()
                } else {
                    return problem(
                        at: index,
                        inArray
                            ? "expected ',' or ']' after an array element, found \(found(index))"
                            : "expected ',' or '}' after an object member, found \(found(index))"
                    )
                }
            case .key, .keyOrObjectEnd:
                if byte == UInt8(ascii: "}") && expecting == .keyOrObjectEnd {
                    index += 1
                    stack.removeLast()
                    afterValue()
                } else if byte == UInt8(ascii: "\"") {
                    if let failure = scanString(bytes, &index) { return problem(at: failure.offset, failure.reason) }
                    expecting = .colon
                } else if byte == UInt8(ascii: "}") {
                    return problem(at: index, "trailing comma before '}'")
                } else if byte == UInt8(ascii: "'") {
                    return problem(at: index, "strings and keys need double quotes, found a single quote")
                } else {
                    return problem(at: index, "expected a quoted object key, found \(found(index))")
                }
            case .value, .valueOrArrayEnd:
                switch byte {
                case UInt8(ascii: "]") where expecting == .valueOrArrayEnd:
                    index += 1
                    stack.removeLast()
                    afterValue()
                case UInt8(ascii: "]") where stack.last == .array:
                    return problem(at: index, "trailing comma before ']'")
                case UInt8(ascii: "["), UInt8(ascii: "{"):
                    guard stack.count < maximumDepth else {
                        return problem(at: index, "nested more than \(maximumDepth) levels deep")
                    }
                    index += 1
                    let isArray = byte == UInt8(ascii: "[")
                    stack.append(isArray ? .array : .object)
                    expecting = isArray ? .valueOrArrayEnd : .keyOrObjectEnd
                case UInt8(ascii: "\""):
                    if let failure = scanString(bytes, &index) { return problem(at: failure.offset, failure.reason) }
                    afterValue()
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    if let failure = scanNumber(bytes, &index) { return problem(at: failure.offset, failure.reason) }
                    afterValue()
                case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                    let word = byte == UInt8(ascii: "t") ? "true" : byte == UInt8(ascii: "f") ? "false" : "null"
                    guard bytes[index...].starts(with: word.utf8) else {
                        return problem(at: index, "unexpected \(found(index)) (did you mean \(word)? strings need double quotes)")
                    }
                    index += word.utf8.count
                    afterValue()
                case UInt8(ascii: "'"):
                    return problem(at: index, "strings and keys need double quotes, found a single quote")
                default:
                    return problem(at: index, "expected a value, found \(found(index))")
                }
            }
        }
    }

    private struct Failure {
        var offset: Int
        var reason: String
    }

    /// Scans a string starting at its opening quote; on success `index` is just past the closing quote.
    private static func scanString(_ bytes: [UInt8], _ index: inout Int) -> Failure? {
        let start = index
        index += 1
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return nil
            case UInt8(ascii: "\\"):
                guard index + 1 < bytes.count else {
                    return Failure(offset: start, reason: "unterminated string (no closing '\"')")
                }
                let escaped = bytes[index + 1]
                if escaped == UInt8(ascii: "u") {
                    guard let unit = hexUnit(bytes, at: index) else {
                        return Failure(offset: index, reason: "invalid \\u escape in a string (needs four hex digits)")
                    }
                    if (0xDC00...0xDFFF).contains(unit) {
                        return Failure(offset: index, reason: "lone low surrogate \\u\(String(unit, radix: 16, uppercase: true)) in a string")
                    }
                    if (0xD800...0xDBFF).contains(unit) {
                        guard let low = hexUnit(bytes, at: index + 6), (0xDC00...0xDFFF).contains(low) else {
                            return Failure(
                                offset: index,
                                reason: "high surrogate \\u\(String(unit, radix: 16, uppercase: true)) not followed by a low surrogate escape"
                            )
                        }
                        index += 6
                    }
                    index += 6
                } else if Array("\"\\/bfnrt".utf8).contains(escaped) {
                    index += 2
                } else {
                    return Failure(offset: index, reason: "invalid escape '\\\(Character(Unicode.Scalar(escaped)))' in a string")
                }
            case 0x00..<0x20:
                return Failure(offset: index, reason: "control character 0x\(String(byte, radix: 16, uppercase: true)) inside a string (escape it)")
            case 0x80...0xFF:
                guard let length = validUTF8Length(bytes, at: index) else {
                    return Failure(offset: index, reason: "invalid UTF-8 byte 0x\(String(byte, radix: 16, uppercase: true)) in a string")
                }
                index += length
            default:
                index += 1
            }
        }
        return Failure(offset: start, reason: "unterminated string (no closing '\"')")
    }

    /// Scans a number per RFC 8259; on success `index` is just past it.
    private static func scanNumber(_ bytes: [UInt8], _ index: inout Int) -> Failure? {
        let start = index
        func digits() -> Int {
            let from = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            return index - from
        }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        if index < bytes.count, bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                return Failure(offset: start, reason: "numbers must not have leading zeros")
            }
        } else if digits() == 0 {
            return Failure(offset: start, reason: "'-' must be followed by digits")
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            if digits() == 0 { return Failure(offset: index, reason: "expected digits after the decimal point") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            if digits() == 0 { return Failure(offset: index, reason: "expected digits in the exponent") }
        }
        // Well-formed, but the decoder refuses what a Double cannot hold (1e400, 1e-400).
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        let value = Double(text) ?? .infinity
        let mantissaIsZero = !text.prefix { $0 != "e" && $0 != "E" }.contains { ("1"..."9").contains($0) }
        if !value.isFinite || (value == 0 && !mantissaIsZero) {
            return Failure(offset: start, reason: "number \(text.count > 24 ? String(text.prefix(24)) + "…" : text) is out of range for a double")
        }
        return nil
    }

    /// The UTF-16 unit of a `\uXXXX` escape starting at `index` (the backslash), or nil.
    private static func hexUnit(_ bytes: [UInt8], at index: Int) -> UInt16? {
        guard index + 6 <= bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else { return nil }
        let digits = bytes[(index + 2)..<(index + 6)]
        guard
            digits.allSatisfy({ byte in
                (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
            })
        else { return nil }
        return UInt16(String(decoding: digits, as: UTF8.self), radix: 16)
    }

    /// A message for a failed JSON decode of `body`: where the text breaks when it does, otherwise
    /// what the decoder said (e.g. a number out of range).
    public static func explain(_ error: any Error, in body: some Collection<UInt8>) -> String {
        if let problem = locate(body) { return problem.description }
        if case DecodingError.dataCorrupted(let context) = error {
            if let underlying = context.underlyingError {
                return (underlying as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(underlying)"
            }
            return context.debugDescription
        }
        return "\(error)"
    }

    /// The length of the well-formed UTF-8 sequence at `index` (RFC 3629: no overlongs, no
    /// surrogates, ≤ U+10FFFF), or nil when it is invalid or cut off by the end of the body.
    private static func validUTF8Length(_ bytes: [UInt8], at index: Int) -> Int? {
        let length = bytes.withUnsafeBufferPointer { UTF8Sequence.length($0, at: index) }
        return length > 0 ? length : nil
    }
}
