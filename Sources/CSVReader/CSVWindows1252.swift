/// Windows-1252 → Unicode, and appending a scalar as UTF-8 (the decoders' shared helpers).
enum CSVWindows1252 {
    /// Unicode scalars for bytes 0x80–0x9F; the five bytes Windows-1252 leaves undefined (0x81,
    /// 0x8D, 0x8F, 0x90, 0x9D) map to the same C1 code point, as WHATWG's decoder does.
    private static let highControls: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    /// Whether Windows-1252 assigns no character to `byte` (a sign the input is not 1252 text).
    static func isUndefined(_ byte: UInt8) -> Bool {
        byte == 0x81 || byte == 0x8D || byte == 0x8F || byte == 0x90 || byte == 0x9D
    }

    /// The Unicode scalar value of a Windows-1252 byte.
    static func scalar(for byte: UInt8) -> UInt32 {
        if byte >= 0x80, byte < 0xA0 { return highControls[Int(byte) - 0x80] }
        return UInt32(byte)
    }

    /// Appends the UTF-8 form of the Windows-1252 character `byte`.
    static func appendUTF8(of byte: UInt8, to out: inout [UInt8]) {
        appendUTF8(scalar: scalar(for: byte), to: &out)
    }

    /// Appends the UTF-8 form of a Unicode scalar value (callers pass valid scalars only).
    static func appendUTF8(scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | scalar >> 6))
            out.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | scalar >> 12))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        default:
            out.append(UInt8(0xF0 | scalar >> 18))
            out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}
