/// Incremental conversion of the raw input to UTF-8, chunk by chunk, with the binary checks.
///
/// A sequence split across chunks (a UTF-8 character, a UTF-16 code unit or surrogate pair) is
/// carried to the next call, so the output never depends on where chunks were cut. Bytes that are
/// invalid in the detected encoding never fail the file: in UTF-8 each invalid byte is read as
/// Windows-1252, in UTF-16 an unpaired surrogate becomes U+FFFD. Each repair appends the decoded
/// offset where it happened to `marks`, so the tokenizer can flag the record that contains it.
struct CSVTextDecoder: Sendable {
    /// What ``decode(_:into:marks:isFinal:)`` produced.
    enum Output {
        /// The input chunk was already valid UTF-8 and complete: use it as is (`out` is untouched).
        case passthrough
        /// The decoded text is in `out`.
        case decoded
    }

    /// The encoding being decoded.
    let encoding: CSVEncoding
    /// Raw offsets below this lie in the sniff window, where any disallowed control character is
    /// fatal; after it only NUL is.
    let strictUntil: Int
    /// Raw bytes consumed so far, including a byte-order mark.
    private(set) var rawOffset: Int
    /// UTF-8 bytes produced so far.
    private(set) var producedCount = 0
    /// The start of a UTF-8 sequence or the odd byte of a UTF-16 code unit cut by a chunk boundary.
    private var carry: [UInt8] = []
    /// A UTF-16 high surrogate waiting for its low half.
    private var highSurrogate: UInt16?
    /// The raw offset of the binary byte that made the last ``decode(_:into:marks:isFinal:)`` throw.
    private(set) var failureOffset: Int?

    /// Starts decoding after `skipping` bytes (the byte-order mark) that the caller dropped.
    init(encoding: CSVEncoding, skipping bomLength: Int, strictUntil: Int) {
        self.encoding = encoding
        self.rawOffset = bomLength
        self.strictUntil = strictUntil
    }

    /// Decodes the next chunk (the caller passes `out` empty). `isFinal` flushes anything carried.
    mutating func decode(
        _ input: UnsafeBufferPointer<UInt8>,
        into out: inout [UInt8],
        marks: inout [Int],
        isFinal: Bool
    ) throws(CSVIssue) -> Output {
        let output: Output
        switch encoding {
        case .utf8, .utf8WithBOM:
            output = try decodeUTF8(input, into: &out, marks: &marks, isFinal: isFinal)
        case .windows1252:
            try decodeWindows1252(input, into: &out)
            output = .decoded
        case .utf16LE, .utf16BE:
            try decodeUTF16(input, bigEndian: encoding == .utf16BE, into: &out, marks: &marks, isFinal: isFinal)
            output = .decoded
        }
        rawOffset += input.count
        producedCount += output == .passthrough ? input.count : out.count
        return output
    }

    // MARK: - Control characters

    /// Tab, line feed, vertical tab, form feed and carriage return are text; other C0 controls
    /// and DEL are binary inside the sniff window, and NUL is binary anywhere.
    @inline(__always)
    static func isTextControl(_ byte: UInt8) -> Bool { byte >= 0x09 && byte <= 0x0D }

    @inline(__always)
    private mutating func checkControl(_ byte: UInt8, at offset: Int) throws(CSVIssue) {
        if Self.isTextControl(byte) { return }
        if byte == 0 || offset < strictUntil {
            failureOffset = offset
            throw .binaryContent(at: offset, byte: byte)
        }
    }

    // MARK: - UTF-8

    private mutating func decodeUTF8(
        _ input: UnsafeBufferPointer<UInt8>,
        into out: inout [UInt8],
        marks: inout [Int],
        isFinal: Bool
    ) throws(CSVIssue) -> Output {
        let count = input.count
        var index = 0
        var runStart = 0  // start of the bytes still to copy unchanged
        if !carry.isEmpty {
            index = completeCarry(input, into: &out, marks: &marks, isFinal: isFinal)
            runStart = index
        } else {
            index = try validPrefixLength(input)
            if index == count { return .passthrough }
        }
        while index < count {
            let byte = input[index]
            if byte < 0x80 {
                if byte < 0x20 || byte == 0x7F { try checkControl(byte, at: rawOffset + index) }
                index += 1
                continue
            }
            let length = UTF8Sequence.length(input, at: index)
            if length > 0 {
                index += length
                continue
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: input[runStart..<index]))
            if length == 0, !isFinal {
                carry = Array(input[index...])
                runStart = count
                break
            }
            marks.append(producedCount + out.count)
            CSVWindows1252.appendUTF8(of: byte, to: &out)
            index += 1
            runStart = index
        }
        if runStart < count {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: input[runStart...]))
        }
        return .decoded
    }

    /// How many leading bytes are valid, complete UTF-8 text (throws on a fatal control byte).
    private mutating func validPrefixLength(_ input: UnsafeBufferPointer<UInt8>) throws(CSVIssue) -> Int {
        let count = input.count
        var index = 0
        while index < count {
            let byte = input[index]
            if byte >= 0x20, byte < 0x7F {
                index += 1
            } else if byte < 0x80 {
                try checkControl(byte, at: rawOffset + index)
                index += 1
            } else {
                let length = UTF8Sequence.length(input, at: index)
                if length <= 0 { return index }
                index += length
            }
        }
        return index
    }

    /// Finishes a sequence cut by the previous chunk; returns how many bytes of `input` it used.
    private mutating func completeCarry(
        _ input: UnsafeBufferPointer<UInt8>,
        into out: inout [UInt8],
        marks: inout [Int],
        isFinal: Bool
    ) -> Int {
        let carried = carry.count
        var joined = carry
        joined.append(contentsOf: input.prefix(4 - carried))
        let length = joined.withUnsafeBufferPointer { UTF8Sequence.length($0, at: 0) }
        if length > 0 {
            out.append(contentsOf: joined[..<length])
            carry = []
            return length - carried
        }
        if length == 0, !isFinal {
            // Still incomplete: the whole (tiny) chunk was part of it.
            carry = joined
            return input.count
        }
        // Invalid: the carried lead byte and continuation bytes each read as Windows-1252, exactly
        // as they would have been had the chunk not been cut.
        for byte in carry {
            marks.append(producedCount + out.count)
            CSVWindows1252.appendUTF8(of: byte, to: &out)
        }
        carry = []
        return 0
    }

    // MARK: - Windows-1252

    private mutating func decodeWindows1252(_ input: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) throws(CSVIssue) {
        var runStart = 0
        for index in input.indices {
            let byte = input[index]
            if byte >= 0x20, byte < 0x7F { continue }
            if byte < 0x80 {
                try checkControl(byte, at: rawOffset + index)
                continue
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: input[runStart..<index]))
            CSVWindows1252.appendUTF8(of: byte, to: &out)
            runStart = index + 1
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: input[runStart...]))
    }

    // MARK: - UTF-16

    private mutating func decodeUTF16(
        _ input: UnsafeBufferPointer<UInt8>,
        bigEndian: Bool,
        into out: inout [UInt8],
        marks: inout [Int],
        isFinal: Bool
    ) throws(CSVIssue) {
        var index = 0
        if let first = carry.first, let second = input.first {
            let unit = bigEndian ? UInt16(first) << 8 | UInt16(second) : UInt16(second) << 8 | UInt16(first)
            try decodeUnit(unit, at: rawOffset - 1, into: &out, marks: &marks)
            carry = []
            index = 1
        }
        let count = input.count
        while index + 1 < count {
            let a = UInt16(input[index])
            let b = UInt16(input[index + 1])
            try decodeUnit(bigEndian ? a << 8 | b : b << 8 | a, at: rawOffset + index, into: &out, marks: &marks)
            index += 2
        }
        if index < count { carry = [input[index]] }
        if isFinal {
            if !carry.isEmpty || highSurrogate != nil {
                marks.append(producedCount + out.count)
                CSVWindows1252.appendUTF8(scalar: 0xFFFD, to: &out)
            }
            carry = []
            highSurrogate = nil
        }
    }

    private mutating func decodeUnit(
        _ unit: UInt16,
        at offset: Int,
        into out: inout [UInt8],
        marks: inout [Int]
    ) throws(CSVIssue) {
        if let high = highSurrogate {
            highSurrogate = nil
            if unit >= 0xDC00, unit <= 0xDFFF {
                let scalar = 0x10000 + (UInt32(high - 0xD800) << 10) + UInt32(unit - 0xDC00)
                CSVWindows1252.appendUTF8(scalar: scalar, to: &out)
                return
            }
            marks.append(producedCount + out.count)
            CSVWindows1252.appendUTF8(scalar: 0xFFFD, to: &out)
        }
        switch unit {
        case 0..<0x80:
            let byte = UInt8(unit)
            if byte < 0x20 || byte == 0x7F { try checkControl(byte, at: offset) }
            out.append(byte)
        case 0xD800...0xDBFF:
            highSurrogate = unit
        case 0xDC00...0xDFFF:
            marks.append(producedCount + out.count)
            CSVWindows1252.appendUTF8(scalar: 0xFFFD, to: &out)
        default:
            CSVWindows1252.appendUTF8(scalar: UInt32(unit), to: &out)
        }
    }
}
