import Foundation

/// A JSON text that ``JSONValue/parse(_:)`` refused.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// "line 3, column 14 (byte 57): expected ',' or '}' after an object member, found '\"'", or
    /// Foundation's words for a UTF-16/32 body.
    public var description: String

    /// An error with the given description.
    public init(description: String) {
        self.description = description
    }
}

extension JSONValue {
    /// Containers nested deeper than this are refused, as Foundation's parser did.
    public static let maximumParseDepth = JSONSyntaxLocator.maximumDepth

    /// Parses UTF-8 JSON text (webhook bodies, API bodies, stored `jsonb`), keeping every number's
    /// exact text. Accepts what Foundation's `JSONDecoder` accepted — a UTF-8 byte order mark,
    /// trailing commas (`[1,]`), duplicate keys (the first wins), UTF-16/32 bodies (decoded by
    /// Foundation, numbers as ``JSONValue/init(from:)`` reads them) — and refuses what it refused:
    /// invalid UTF-8, lone surrogate escapes, control characters in strings, trailing garbage,
    /// numbers beyond a double's range, more than ``maximumParseDepth`` levels. Iterative, so
    /// hostile nesting cannot overflow the stack.
    ///
    /// - Throws: ``JSONParseError`` with the line, column and reason of the first problem.
    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSONValue {
        let result =
            bytes.withContiguousStorageIfAvailable { buffer in
                Result { () throws(JSONParseError) in try parse(buffer: buffer) }
            }
            ?? Array(bytes).withUnsafeBufferPointer { buffer in
                Result { () throws(JSONParseError) in try parse(buffer: buffer) }
            }
        return try result.get()
    }

    /// Parses JSON text held in a `String` (a `jsonb` column read as text).
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        var text = text
        let result = text.withUTF8 { buffer in Result { () throws(JSONParseError) in try parse(buffer: buffer) } }
        return try result.get()
    }

    private static func parse(buffer: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> JSONValue {
        if JSONTextEncoding.isWideUnicode(buffer) { return try decodeWideUnicode(Data(buffer)) }
        var parser = JSONParser(bytes: buffer)
        do {
            return try parser.parseDocument()
        } catch {
            // The locator's words, which API answers and tests have always shown; the parser's own
            // as a fallback.
            if let problem = JSONSyntaxLocator.locate(buffer) { throw JSONParseError(description: problem.description) }
            throw JSONParseError(description: Self.locatedDescription(error, in: buffer))
        }
    }

    /// A UTF-16/32 body, which Foundation detects and decodes.
    private static func decodeWideUnicode(_ data: Data) throws(JSONParseError) -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw JSONParseError(description: JSONSyntaxLocator.explain(error, in: data))
        }
    }

    /// "line L, column C (byte B): reason" for a failure of the parser itself.
    private static func locatedDescription(_ failure: JSONNumberScanner.Failure, in bytes: UnsafeBufferPointer<UInt8>) -> String {
        let offset = min(failure.offset, bytes.count)
        let before = bytes[..<offset]
        let line = before.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        let lineStart = before.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        return JSONSyntaxLocator.Problem(line: line, column: offset - lineStart + 1, offset: offset, reason: failure.reason).description
    }
}

/// How the parser tells UTF-8 from the UTF-16/32 bodies Foundation also reads.
enum JSONTextEncoding {
    /// Whether `bytes` starts like UTF-16 or UTF-32 (a byte order mark, or a NUL byte up front),
    /// the same test ``JSONSyntaxLocator`` uses to leave such bodies alone.
    static func isWideUnicode(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= 2 else { return false }
        if (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) { return true }
        return bytes.prefix(4).contains(0)
    }
}
