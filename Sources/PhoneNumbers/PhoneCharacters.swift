/// Character classes of libphonenumber's parser, at Unicode-scalar level (libphonenumber and its
/// Python port work on code points, not grapheme clusters).
///
/// The sets are what Python's `re` matches for libphonenumber's classes under its
/// `re.UNICODE | re.IGNORECASE` flags, so, for example, "X" counts as punctuation like "x", and
/// U+212A KELVIN SIGN counts as a letter.
enum PhoneCharacters {
    /// "+" or U+FF0B FULLWIDTH PLUS SIGN.
    static func isPlus(_ c: Unicode.Scalar) -> Bool {
        c == "+" || c == "\u{FF0B}"
    }

    /// The value of a Unicode decimal digit (general category Nd: ASCII, full-width,
    /// Arabic-Indic, Devanagari, …), or `nil`.
    static func digitValue(_ c: Unicode.Scalar) -> UInt8? {
        if c.value >= 0x30 && c.value <= 0x39 {
            return UInt8(c.value - 0x30)
        }
        guard c.value >= 0x80, c.properties.generalCategory == .decimalNumber,
            let value = c.properties.numericValue, value >= 0, value <= 9
        else { return nil }
        return UInt8(value)
    }

    /// Whether `c` is a Unicode decimal digit (`\d` in libphonenumber's patterns).
    static func isDigit(_ c: Unicode.Scalar) -> Bool {
        digitValue(c) != nil
    }

    /// libphonenumber's VALID_PUNCTUATION (dashes, spaces, dots, slashes, brackets, tildes, the
    /// carrier placeholder "x"), matched case-insensitively.
    static func isPunctuation(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x20, 0x28, 0x29, 0x2D, 0x2E, 0x2F, 0x58, 0x5B, 0x5D, 0x78, 0x7E,
            0xA0, 0xAD, 0x200B, 0x2010...0x2015, 0x2053, 0x2060, 0x2212, 0x223C,
            0x3000, 0x30FC, 0xFF08, 0xFF09, 0xFF0D...0xFF0F, 0xFF3B, 0xFF3D, 0xFF5E:
            return true
        default:
            return false
        }
    }

    /// libphonenumber's VALID_ALPHA (`[A-Za-z]`) under case-insensitive matching, which in
    /// Python also admits U+0130, U+0131, U+017F and U+212A.
    static func isAlpha(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x41...0x5A, 0x61...0x7A, 0x130, 0x131, 0x17F, 0x212A:
            return true
        default:
            return false
        }
    }

    /// An ASCII letter, the test libphonenumber uses to decide whether a number is a vanity
    /// number (three or more letters).
    static func isASCIILetter(_ c: Unicode.Scalar) -> Bool {
        (c.value >= 0x41 && c.value <= 0x5A) || (c.value >= 0x61 && c.value <= 0x7A)
    }

    /// Python's `\w` (a letter or any numeric character, or "_").
    static func isWordCharacter(_ c: Unicode.Scalar) -> Bool {
        if c.isASCII {
            let v = c.value
            return (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x5F
        }
        switch c.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return true
        default:
            return c.properties.numericType != nil
        }
    }

    /// The E.161 keypad digit for a letter or ASCII digit, following libphonenumber's
    /// ALPHA_PHONE_MAPPINGS after Python's `str.upper()` (so U+0131 "ı" reads as "I" and U+017F
    /// "ſ" as "S"); `nil` for everything else, including non-ASCII digits.
    static func keypadDigit(_ c: Unicode.Scalar) -> UInt8? {
        var v = c.value
        switch v {
        case 0x30...0x39:
            return UInt8(v - 0x30)
        case 0x61...0x7A:
            v -= 0x20
        case 0x131:
            v = 0x49  // I
        case 0x17F:
            v = 0x53  // S
        default:
            break
        }
        switch v {
        case 0x41...0x43: return 2  // ABC
        case 0x44...0x46: return 3  // DEF
        case 0x47...0x49: return 4  // GHI
        case 0x4A...0x4C: return 5  // JKL
        case 0x4D...0x4F: return 6  // MNO
        case 0x50...0x53: return 7  // PQRS
        case 0x54...0x56: return 8  // TUV
        case 0x57...0x5A: return 9  // WXYZ
        default: return nil
        }
    }
}
