import Foundation

/// The character sets a SendGrid Inbound Parse field may be sent in (its `charsets` JSON names
/// one per field), and how to decode bytes in each. UTF-8 and US-ASCII, ISO-8859-1 (Latin-1),
/// windows-1252, and the Hebrew ISO-8859-8 and windows-1255 are decoded exactly; any other
/// charset is read as UTF-8 with invalid bytes replaced, and ``decode(_:charset:)`` says so.
public enum InboundMailCharset: String, Sendable, Hashable, CaseIterable {
    case utf8 = "UTF-8"
    case latin1 = "ISO-8859-1"
    case windows1252 = "windows-1252"
    case hebrewISO = "ISO-8859-8"
    case windows1255 = "windows-1255"

    /// The charset an IANA name or common alias stands for (case-insensitive), or nil.
    public init?(name: String) {
        let key = name.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "_", with: "-")
        switch key {
        case "utf-8", "utf8", "us-ascii", "ascii", "ansi-x3.4-1968": self = .utf8
        case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "iso-ir-100", "cp819": self = .latin1
        case "windows-1252", "cp1252", "x-cp1252": self = .windows1252
        case "iso-8859-8", "iso-8859-8-i", "iso-8859-8-e", "iso8859-8", "hebrew", "iso-ir-138": self = .hebrewISO
        case "windows-1255", "cp1255", "x-cp1255": self = .windows1255
        default: return nil
        }
    }

    /// `bytes` as text in the charset called `charset` (UTF-8 when nil), and a note when the text
    /// is not exactly what was sent: an unknown charset, or bytes invalid in it (each became U+FFFD).
    public static func decode(_ bytes: [UInt8], charset: String?) -> (text: String, note: String?) {
        guard let charset, !charset.trimmingCharacters(in: .whitespaces).isEmpty else { return decode(bytes, as: .utf8) }
        guard let known = InboundMailCharset(name: charset) else {
            let text = String(decoding: bytes, as: UTF8.self)
            return (text, "unknown charset \(charset.prefix(40)), read as UTF-8")
        }
        return decode(bytes, as: known)
    }

    /// `bytes` decoded as `charset`, with a note when some were invalid in it.
    static func decode(_ bytes: [UInt8], as charset: InboundMailCharset) -> (text: String, note: String?) {
        if charset == .utf8 {
            let text = String(decoding: bytes, as: UTF8.self)
            let valid = String(validating: bytes, as: UTF8.self) != nil
            return (text, valid ? nil : "invalid UTF-8 replaced by U+FFFD")
        }
        var scalars = String.UnicodeScalarView()
        var invalid = false
        for byte in bytes {
            if let scalar = charset.scalar(byte) {
                scalars.append(scalar)
            } else {
                scalars.append("\u{FFFD}")
                invalid = true
            }
        }
        return (String(scalars), invalid ? "bytes undefined in \(charset.rawValue) replaced by U+FFFD" : nil)
    }

    /// The character `byte` stands for in this single-byte charset, or nil when it is undefined.
    func scalar(_ byte: UInt8) -> Unicode.Scalar? {
        let code = UInt32(byte)
        switch self {
        case .utf8:
            return byte < 0x80 ? Unicode.Scalar(byte) : nil
        case .latin1:
            return Unicode.Scalar(byte)
        case .windows1252:
            guard (0x80...0x9F).contains(byte) else { return Unicode.Scalar(byte) }
            return Self.windows1252High[Int(byte - 0x80)].flatMap(Unicode.Scalar.init)
        case .hebrewISO:
            switch byte {
            case 0x00...0xA0, 0xA2...0xA9, 0xAB...0xB9, 0xBB...0xBE: return Unicode.Scalar(byte)
            case 0xAA: return "\u{00D7}"
            case 0xBA: return "\u{00F7}"
            case 0xDF: return "\u{2017}"
            case 0xE0...0xFA: return Unicode.Scalar(code - 0xE0 + 0x05D0)
            case 0xFD: return "\u{200E}"
            case 0xFE: return "\u{200F}"
            default: return nil
            }
        case .windows1255:
            switch byte {
            case 0x8A, 0x8C...0x90, 0x9A, 0x9C...0x9F: return nil
            case 0x80...0x9F: return Self.windows1252High[Int(byte - 0x80)].flatMap(Unicode.Scalar.init)
            case 0xA4: return "\u{20AA}"
            case 0xAA: return "\u{00D7}"
            case 0xBA: return "\u{00F7}"
            case 0xC0...0xD3: return Unicode.Scalar(code - 0xC0 + 0x05B0)
            case 0xD4...0xD8: return Unicode.Scalar(code - 0xD4 + 0x05F0)
            case 0xD9...0xDF, 0xFB, 0xFC, 0xFF: return nil
            case 0xE0...0xFA: return Unicode.Scalar(code - 0xE0 + 0x05D0)
            case 0xFD: return "\u{200E}"
            case 0xFE: return "\u{200F}"
            default: return Unicode.Scalar(byte)
            }
        }
    }

    /// windows-1252's characters for 0x80–0x9F (nil where undefined); the rest is Latin-1.
    private static let windows1252High: [UInt32?] = [
        0x20AC, nil, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, nil, 0x017D, nil,
        nil, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, nil, 0x017E, 0x0178,
    ]
}
