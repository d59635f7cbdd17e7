/// The text-level steps of libphonenumber's `parse()` that run before any region metadata is
/// consulted: cutting the number out of the surrounding text, the viability check, and the
/// final normalization to ASCII digits.
enum PhoneText {
    /// Unicode scalars of the input, the unit libphonenumber measures and slices in.
    typealias Scalars = ArraySlice<Unicode.Scalar>

    /// libphonenumber's `_extract_possible_number`: drops everything before the first "+" or
    /// digit (so "tel:", "p:" or "Phone: " prefixes vanish), trailing characters that are
    /// neither letters, numbers nor "#", and a second number introduced by "/x" or "\x".
    static func extractPossibleNumber(_ text: Scalars) -> Scalars {
        guard let start = text.firstIndex(where: { PhoneCharacters.isPlus($0) || PhoneCharacters.isDigit($0) }) else {
            return []
        }
        var end = text.endIndex
        while end > start, isUnwantedAtEnd(text[end - 1]) {
            end -= 1
        }
        let number = text[start..<end]
        if let secondNumber = secondNumberStart(in: number) {
            return number[..<secondNumber]
        }
        return number
    }

    /// A character libphonenumber strips from the end: not a letter or number, or "_", but never "#".
    private static func isUnwantedAtEnd(_ c: Unicode.Scalar) -> Bool {
        c == "_" || !(c == "#" || PhoneCharacters.isWordCharacter(c))
    }

    /// Start of the first `[\\/] *x` (lower-case x only), which libphonenumber treats as the
    /// start of a second number.
    private static func secondNumberStart(in number: Scalars) -> Int? {
        var index = number.startIndex
        while index < number.endIndex {
            if number[index] == "/" || number[index] == "\\" {
                var next = index + 1
                while next < number.endIndex, number[next] == " " {
                    next += 1
                }
                if next < number.endIndex, number[next] == "x" {
                    return index
                }
            }
            index += 1
        }
        return nil
    }

    /// libphonenumber's `_is_viable_phone_number`: exactly two digits, or optional leading plus
    /// signs followed by at least three digits mixed with punctuation or "*", then digits,
    /// punctuation, "*" or letters, optionally ending in an extension.
    static func isViable(_ number: Scalars) -> Bool {
        if number.count < 2 {
            return false
        }
        if number.count == 2, number.allSatisfy(PhoneCharacters.isDigit) {
            return true
        }
        var index = number.startIndex
        while index < number.endIndex, PhoneCharacters.isPlus(number[index]) {
            index += 1
        }
        // Walk the body; once three digits have been seen, every position up to the first
        // character outside the allowed set is a place where the body may end and an extension
        // (or the end of the text) may begin.
        var digits = 0
        while index < number.endIndex {
            let c = number[index]
            let isDigit = PhoneCharacters.isDigit(c)
            let allowed =
                isDigit || c == "*" || PhoneCharacters.isPunctuation(c)
                || (digits >= 3 && PhoneCharacters.isAlpha(c))
            if !allowed {
                break
            }
            if isDigit {
                digits += 1
            }
            index += 1
            if digits >= 3 && (index == number.endIndex || PhoneExtension.match(number, at: index) != nil) {
                return true
            }
        }
        return false
    }

    /// libphonenumber's `_normalize`: with three or more ASCII letters the number is a vanity
    /// number and letters map to keypad digits (non-ASCII digits are then dropped, as in
    /// libphonenumber); otherwise every Unicode decimal digit becomes its ASCII digit and
    /// everything else is dropped. Returns ASCII digit bytes.
    static func normalizeDigits(_ number: Scalars) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(number.count)
        var letters = 0
        for c in number where PhoneCharacters.isASCIILetter(c) {
            letters += 1
            if letters >= 3 { break }
        }
        let zero = UInt8(ascii: "0")
        if letters >= 3 {
            for c in number {
                if let digit = PhoneCharacters.keypadDigit(c) {
                    out.append(zero + digit)
                }
            }
        } else {
            for c in number {
                if let digit = PhoneCharacters.digitValue(c) {
                    out.append(zero + digit)
                }
            }
        }
        return out
    }

    /// Offset of the first occurrence of `pattern` in `haystack`, like Python's `str.find`.
    static func find(_ pattern: [Unicode.Scalar], in haystack: Scalars) -> Int? {
        guard !pattern.isEmpty, haystack.count >= pattern.count else { return nil }
        var start = haystack.startIndex
        let last = haystack.endIndex - pattern.count
        while start <= last {
            if haystack[start] == pattern[0], haystack[start..<(start + pattern.count)].elementsEqual(pattern) {
                return start
            }
            start += 1
        }
        return nil
    }
}
