import Foundation

/// A JSON number kept as the exact text it arrived as (`1231231231231234`, `-0`, `1.5E-7`), so that
/// ids, phone numbers sent as numbers and values in `extra` are stored and forwarded digit for digit.
/// Converting to `Double` loses digits above 2^53 and turns ids into `1.231231231231234e+15`;
/// convert only where arithmetic is needed (``doubleValue``, ``int64Value``).
///
/// Two numbers are equal when their texts are equal: `1` and `1.0` are different literals.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The number's JSON text (RFC 8259 grammar).
    public let text: String

    /// A number from JSON text; nil unless `text` is a number by RFC 8259's grammar (no spaces,
    /// no leading `+`, no leading zeros, digits on both sides of a `.`).
    public init?(text: String) {
        guard Self.isNumberGrammar(Array(text.utf8)) else { return nil }
        self.text = text
    }

    /// A number from text the caller has already checked against the grammar (the parser).
    init(validatedText text: String) {
        self.text = text
    }

    /// An integer, in decimal.
    public init(_ value: Int) { text = String(value) }

    /// An integer, in decimal.
    public init(_ value: Int64) { text = String(value) }

    /// An integer, in decimal.
    public init(_ value: UInt64) { text = String(value) }

    /// A floating-point value: whole values below 10^15 without a fraction (`3`, not `3.0`), others
    /// in Swift's shortest round-tripping form; nil for infinities and NaN, which JSON cannot hold.
    public init?(_ value: Double) {
        guard value.isFinite else { return nil }
        if value == value.rounded(), abs(value) < 1e15 {
            text = String(Int64(value))
        } else {
            text = "\(value)"
        }
    }

    /// The JSON text.
    public var description: String { text }

    /// The nearest `Double` (digits beyond a double's precision are lost; used for arithmetic only).
    public var doubleValue: Double { Double(text) ?? .nan }

    /// The value when it is a whole number that fits an `Int64` exactly (`12`, `-7`, `1.0`, `2e3`);
    /// nil for fractions and for integers out of range — never a rounded value.
    public var int64Value: Int64? {
        if let value = Int64(text) { return value }
        guard let digits = Self.integerDigits(Array(text.utf8)) else { return nil }
        return Int64(digits)
    }

    /// The value when it is a whole number that fits an `Int` exactly (see ``int64Value``).
    public var intValue: Int? { int64Value.flatMap { Int(exactly: $0) } }
}

extension JSONNumber: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
    /// `.number(7)` in configs and tests.
    public init(integerLiteral value: Int) { self.init(value) }

    /// `.number(1.5)` in configs and tests (a non-finite literal becomes `0`).
    public init(floatLiteral value: Double) { self = JSONNumber(value) ?? JSONNumber(0) }
}

extension JSONNumber {
    /// Whether `bytes` is exactly one JSON number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    static func isNumberGrammar(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            var index = 0
            return JSONNumberScanner.scan(buffer, &index) == nil && index == buffer.count
        }
    }

    /// The decimal digits of the integer a number text denotes (`"2e3"` → `"2000"`, `"-1.50e1"` →
    /// `"-15"`), or nil when it has a non-zero fraction or more than 20 digits.
    private static func integerDigits(_ bytes: [UInt8]) -> String? {
        var negative = false
        var mantissa: [UInt8] = []
        var pointPosition: Int?
        var exponent = 0
        var index = 0
        if bytes.first == UInt8(ascii: "-") {
            negative = true
            index = 1
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: ".") {
                pointPosition = mantissa.count
            } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                guard let value = Int(String(decoding: bytes[(index + 1)...], as: UTF8.self)), abs(value) < 1_000 else { return nil }
                exponent = value
                break
            } else {
                mantissa.append(byte)
            }
            index += 1
        }
        let wholeCount = (pointPosition ?? mantissa.count) + exponent
        let significant = mantissa.drop { $0 == UInt8(ascii: "0") }
        let leadingZeros = mantissa.count - significant.count
        // Digits past the point must all be zero; the integer part must fit in 20 digits.
        guard wholeCount >= mantissa.count || mantissa[max(0, wholeCount)...].allSatisfy({ $0 == UInt8(ascii: "0") }) else { return nil }
        guard wholeCount - leadingZeros <= 20 else { return nil }
        var digits = Array(mantissa.prefix(max(0, wholeCount)))
        if wholeCount > mantissa.count { digits += Array(repeating: UInt8(ascii: "0"), count: wholeCount - mantissa.count) }
        if digits.isEmpty { digits = [UInt8(ascii: "0")] }
        return (negative ? "-" : "") + String(decoding: digits, as: UTF8.self)
    }
}
