/// Encoding detection: byte-order marks, BOM-less UTF-16, UTF-8 versus Windows-1252, binary.
extension CSVStreamReader {
    /// What the first bytes say about the input.
    struct EncodingDecision: Sendable, Equatable {
        /// The detected encoding.
        var encoding: CSVEncoding
        /// Bytes of byte-order mark to skip.
        var bomLength: Int
        /// A warning to show the user (the Windows-1252 fallback).
        var warning: CSVIssue?
    }

    /// Decides the encoding from the first bytes (`window`, at most ``CSVLimits/sniffBytes``; the
    /// whole input when `isComplete`).
    ///
    /// - A BOM wins: `EF BB BF` UTF-8, `FF FE` UTF-16LE, `FE FF` UTF-16BE.
    /// - Text whose every other byte is zero is UTF-16 without a BOM.
    /// - A control character other than tab/LF/VT/FF/CR, or DEL, means binary: fatal.
    /// - Valid UTF-8 (or any valid multi-byte sequence) is UTF-8; stray invalid bytes later are
    ///   repaired one by one as Windows-1252 and flagged on their record.
    /// - Otherwise the text is Windows-1252 if it is plausible (no byte 1252 leaves undefined, at
    ///   most a quarter of the bytes non-ASCII), with a file-level `encodingFallback` warning;
    ///   if not, the file is binary.
    static func detectEncoding(_ window: UnsafeBufferPointer<UInt8>, isComplete: Bool) throws(CSVIssue) -> EncodingDecision {
        let count = window.count
        if count >= 3, window[0] == 0xEF, window[1] == 0xBB, window[2] == 0xBF {
            return EncodingDecision(encoding: .utf8WithBOM, bomLength: 3)
        }
        if count >= 2, window[0] == 0xFF, window[1] == 0xFE {
            return EncodingDecision(encoding: .utf16LE, bomLength: 2)
        }
        if count >= 2, window[0] == 0xFE, window[1] == 0xFF {
            return EncodingDecision(encoding: .utf16BE, bomLength: 2)
        }
        if let utf16 = bomlessUTF16(window) {
            return EncodingDecision(encoding: utf16, bomLength: 0)
        }

        var index = 0
        var validMultibyte = 0
        var nonASCII = 0
        var firstInvalid: Int?
        var firstUndefined: Int?
        while index < count {
            let byte = window[index]
            if byte < 0x80 {
                if (byte < 0x20 && !CSVTextDecoder.isTextControl(byte)) || byte == 0x7F {
                    throw .binaryContent(at: index, byte: byte)
                }
                index += 1
                continue
            }
            let length = UTF8Sequence.length(window, at: index)
            if length > 0 {
                validMultibyte += 1
                nonASCII += length
                index += length
                continue
            }
            if length == 0, !isComplete { break }  // a character cut by the window's end
            firstInvalid = firstInvalid ?? index
            if CSVWindows1252.isUndefined(byte) { firstUndefined = firstUndefined ?? index }
            nonASCII += 1
            index += 1
        }
        guard let firstInvalid, validMultibyte == 0 else {
            return EncodingDecision(encoding: .utf8, bomLength: 0)
        }
        if let firstUndefined {
            throw .binaryContent(at: firstUndefined, byte: window[firstUndefined])
        }
        if nonASCII * 4 > count {
            throw .binaryContent(at: firstInvalid, byte: window[firstInvalid])
        }
        return EncodingDecision(encoding: .windows1252, bomLength: 0, warning: .encodingFallbackForFile())
    }

    /// UTF-16 without a BOM: in mostly-ASCII text every other byte is zero. Needs 8 bytes.
    private static func bomlessUTF16(_ window: UnsafeBufferPointer<UInt8>) -> CSVEncoding? {
        let pairs = min(window.count, 1_024) / 2
        guard pairs >= 4 else { return nil }
        var evenZeros = 0
        var oddZeros = 0
        for pair in 0..<pairs {
            if window[2 * pair] == 0 { evenZeros += 1 }
            if window[2 * pair + 1] == 0 { oddZeros += 1 }
        }
        if oddZeros * 10 >= pairs * 9, evenZeros * 10 < pairs { return .utf16LE }
        if evenZeros * 10 >= pairs * 9, oddZeros * 10 < pairs { return .utf16BE }
        return nil
    }
}
