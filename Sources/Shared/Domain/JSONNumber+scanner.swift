/// The RFC 8259 number grammar over UTF-8 bytes, shared by ``JSONNumber/init(text:)`` and the parser.
enum JSONNumberScanner {
    /// What the scan of one number found.
    struct Shape {
        /// Whether the number has an exponent part (`e` / `E`).
        var hasExponent = false
    }

    /// Why a number is malformed and where.
    struct Failure: Error {
        var offset: Int
        var reason: String
    }

    /// Scans the number starting at `index` (at `-` or a digit); on success `index` is just past it.
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int) -> Failure? {
        var shape = Shape()
        return scan(bytes, &index, &shape)
    }

    /// Scans the number starting at `index`, recording its ``Shape``.
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int, _ shape: inout Shape) -> Failure? {
        let start = index
        func isDigit(_ at: Int) -> Bool { at < bytes.count && bytes[at] &- UInt8(ascii: "0") < 10 }
        func digits() -> Int {
            let from = index
            while isDigit(index) { index += 1 }
            return index - from
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        if index < bytes.count, bytes[index] == UInt8(ascii: "0") {
            index += 1
            if isDigit(index) { return Failure(offset: start, reason: "numbers must not have leading zeros") }
        } else if digits() == 0 {
            return Failure(offset: start, reason: "'-' must be followed by digits")
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            if digits() == 0 { return Failure(offset: index, reason: "expected digits after the decimal point") }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            shape.hasExponent = true
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            if digits() == 0 { return Failure(offset: index, reason: "expected digits in the exponent") }
        }
        return nil
    }

    /// Whether a well-formed number `text` is beyond what a `Double` holds (`1e400`, `1e-400`, a
    /// 400-digit integer). Such numbers are refused as Foundation's parser refused them: PostgreSQL
    /// would expand `1e999999999` into a billion digits or refuse it.
    static func isOutOfRange(_ text: String) -> Bool {
        let value = Double(text) ?? .infinity
        if !value.isFinite { return true }
        guard value == 0 else { return false }
        let mantissa = text.utf8.prefix { $0 | 0x20 != UInt8(ascii: "e") }
        return mantissa.contains { $0 >= UInt8(ascii: "1") && $0 <= UInt8(ascii: "9") }
    }
}
