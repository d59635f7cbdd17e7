/// Well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), checked
/// one sequence at a time: the CSV reader's decoder uses it to find bytes to repair, and a JSON
/// error message uses it to point at the first byte that is not text.
public enum UTF8Sequence {
    /// Length of the well-formed UTF-8 sequence starting at `index` (RFC 3629), 0 when the
    /// buffer ends inside a sequence that is valid so far, -1 when it is invalid.
    @inline(__always)
    public static func length(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let lead = bytes[index]
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        let length: Int
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            high = 0x9F
        case 0xF0:
            length = 4
            low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            high = 0x8F
        default: return -1
        }
        let count = bytes.count
        guard index + 1 < count else { return 0 }
        let second = bytes[index + 1]
        guard second >= low, second <= high else { return -1 }
        var offset = 2
        while offset < length {
            guard index + offset < count else { return 0 }
            guard bytes[index + offset] & 0xC0 == 0x80 else { return -1 }
            offset += 1
        }
        return length
    }
}
