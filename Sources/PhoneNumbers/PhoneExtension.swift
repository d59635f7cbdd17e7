/// libphonenumber's extension grammar (`_create_extn_pattern(for_parsing=True)`), hand-written
/// so the hot path needs no regular expression. An extension runs to the end of the text and
/// is one of, case-insensitively:
///
/// 1. `;ext=` and up to 20 digits (RFC 3966);
/// 2. separators, an explicit label ("ext", "extn", "extension", "extensión", "xtn", "anexo",
///    "доб", full-width "ｅｘｔ"…), optional ":" or ".", separators, up to 20 digits, optional "#";
/// 3. the same with an ambiguous label ("x", "#", "~", "int", full-width forms) and up to 9 digits;
/// 4. "-" or " " separators, up to 6 digits and a mandatory "#" ("- 503#");
/// 5. ",," or ";" (auto-dial) with up to 15 digits; 6. one or more "," with up to 9 digits.
///
/// In every form the captured extension is the trailing run of digits, so only whether *some*
/// form matches matters, not which one.
enum PhoneExtension {
    /// Explicit labels (form 2), spelled out from `e?xt(?:ensi(?:o\u0301?|ó))?n?`,
    /// `\uFF45?\uFF58\uFF54\uFF4E?`, `доб` and `anexo`.
    private static let explicitLabels: [[Unicode.Scalar]] = {
        var labels: [String] = []
        for start in ["ext", "xt"] {
            for middle in ["", "ensio", "ensio\u{301}", "ensi\u{F3}"] {
                for end in ["", "n"] {
                    labels.append(start + middle + end)
                }
            }
        }
        labels += [
            "\u{FF45}\u{FF58}\u{FF54}", "\u{FF58}\u{FF54}", "\u{FF45}\u{FF58}\u{FF54}\u{FF4E}",
            "\u{FF58}\u{FF54}\u{FF4E}", "\u{434}\u{43E}\u{431}", "anexo",
        ]
        return labels.map { Array($0.unicodeScalars) }
    }()

    /// Ambiguous labels (form 3): `[x\uFF58#\uFF03~\uFF5E]`, `int` and full-width `ｉｎｔ`.
    private static let ambiguousLabels: [[Unicode.Scalar]] =
        ["x", "\u{FF58}", "#", "\u{FF03}", "~", "\u{FF5E}", "int", "\u{FF49}\u{FF4E}\u{FF54}"]
        .map { Array($0.unicodeScalars) }

    /// Python `re.IGNORECASE` equality for the lower-case letters used in the labels above.
    private static func foldEquals(_ c: Unicode.Scalar, _ label: Unicode.Scalar) -> Bool {
        if c == label {
            return true
        }
        switch label.value {
        case 0x61...0x7A:  // a-z; Python also folds "ſ" to s and "İ"/"ı" to i.
            return c.value == label.value - 0x20
                || (label == "s" && c.value == 0x17F)
                || (label == "i" && (c.value == 0x130 || c.value == 0x131))
        case 0xF3:  // ó
            return c.value == 0xD3
        case 0x430...0x44F:  // Cyrillic lower case; "д" and "о" also have historic variants.
            return c.value == label.value - 0x20
                || (label.value == 0x434 && c.value == 0x1C81)
                || (label.value == 0x43E && c.value == 0x1C82)
        case 0xFF41...0xFF5A:  // full-width a-z
            return c.value == label.value - 0x20
        default:
            return false
        }
    }

    private static func isSeparatorBeforeLabel(_ c: Unicode.Scalar) -> Bool {
        c == " " || c == "\u{A0}" || c == "\t" || c == ","
    }

    private static func isSeparatorWithoutComma(_ c: Unicode.Scalar) -> Bool {
        c == " " || c == "\u{A0}" || c == "\t"
    }

    private static func isSeparatorAfterLabel(_ c: Unicode.Scalar) -> Bool {
        c == " " || c == "\u{A0}" || c == "\t" || c == "," || c == "-"
    }

    /// If `text[start...]` is entirely an extension, the range of its digits.
    static func match(_ text: PhoneText.Scalars, at start: Int) -> Range<Int>? {
        guard start < text.endIndex else { return nil }
        return rfc3966(text, start)
            ?? labelled(text, start, labels: explicitLabels, maxDigits: 20)
            ?? labelled(text, start, labels: ambiguousLabels, maxDigits: 9)
            ?? americanHash(text, start)
            ?? autoDial(text, start)
            ?? commas(text, start)
    }

    /// libphonenumber's `_maybe_strip_extension`: finds the leftmost position where an
    /// extension starts and, if the text before it is itself viable, splits it off.
    static func strip(_ number: PhoneText.Scalars) -> (number: PhoneText.Scalars, extension: String?) {
        var start = number.startIndex
        while start < number.endIndex {
            if let digits = match(number, at: start) {
                let head = number[..<start]
                guard PhoneText.isViable(head) else { return (number, nil) }
                var ext = ""
                for c in number[digits] {
                    if let value = PhoneCharacters.digitValue(c) {
                        ext.unicodeScalars.append(Unicode.Scalar(0x30 + UInt32(value)) ?? "0")
                    }
                }
                return (head, ext)
            }
            start += 1
        }
        return (number, nil)
    }

    private enum Hash { case forbidden, optional, required }

    /// `(\d{1,max})` then, per `hash`, "#" — and then the end of the text.
    private static func trailingDigits(_ text: PhoneText.Scalars, _ start: Int, maxDigits: Int, hash: Hash) -> Range<Int>? {
        var end = start
        while end < text.endIndex, PhoneCharacters.isDigit(text[end]) {
            end += 1
        }
        let count = end - start
        guard count >= 1, count <= maxDigits else { return nil }
        if end == text.endIndex {
            return hash == .required ? nil : start..<end
        }
        if hash != .forbidden, text[end] == "#", end + 1 == text.endIndex {
            return start..<end
        }
        return nil
    }

    /// `[:\.．]?[ \u00A0\t,-]*` after a label.
    private static func skipAfterLabel(_ text: PhoneText.Scalars, _ start: Int) -> Int {
        var index = start
        if index < text.endIndex, text[index] == ":" || text[index] == "." || text[index] == "\u{FF0E}" {
            index += 1
        }
        while index < text.endIndex, isSeparatorAfterLabel(text[index]) {
            index += 1
        }
        return index
    }

    private static func rfc3966(_ text: PhoneText.Scalars, _ start: Int) -> Range<Int>? {
        let prefix: [Unicode.Scalar] = [";", "e", "x", "t", "="]
        guard text.endIndex - start > prefix.count else { return nil }
        for (offset, expected) in prefix.enumerated() where !foldEquals(text[start + offset], expected) {
            return nil
        }
        return trailingDigits(text, start + prefix.count, maxDigits: 20, hash: .forbidden)
    }

    private static func labelled(_ text: PhoneText.Scalars, _ start: Int, labels: [[Unicode.Scalar]], maxDigits: Int) -> Range<Int>? {
        var index = start
        while index < text.endIndex, isSeparatorBeforeLabel(text[index]) {
            index += 1
        }
        for label in labels where text.endIndex - index > label.count {
            var matches = true
            for (offset, expected) in label.enumerated() where !foldEquals(text[index + offset], expected) {
                matches = false
                break
            }
            if matches, let digits = trailingDigits(text, skipAfterLabel(text, index + label.count), maxDigits: maxDigits, hash: .optional) {
                return digits
            }
        }
        return nil
    }

    private static func americanHash(_ text: PhoneText.Scalars, _ start: Int) -> Range<Int>? {
        var index = start
        while index < text.endIndex, text[index] == "-" || text[index] == " " {
            index += 1
        }
        guard index > start else { return nil }
        return trailingDigits(text, index, maxDigits: 6, hash: .required)
    }

    private static func autoDial(_ text: PhoneText.Scalars, _ start: Int) -> Range<Int>? {
        var index = start
        while index < text.endIndex, isSeparatorWithoutComma(text[index]) {
            index += 1
        }
        if index + 1 < text.endIndex, text[index] == ",", text[index + 1] == "," {
            index += 2
        } else if index < text.endIndex, text[index] == ";" {
            index += 1
        } else {
            return nil
        }
        return trailingDigits(text, skipAfterLabel(text, index), maxDigits: 15, hash: .optional)
    }

    private static func commas(_ text: PhoneText.Scalars, _ start: Int) -> Range<Int>? {
        var index = start
        while index < text.endIndex, isSeparatorWithoutComma(text[index]) {
            index += 1
        }
        guard index < text.endIndex, text[index] == "," else { return nil }
        while index < text.endIndex, text[index] == "," {
            index += 1
        }
        return trailingDigits(text, skipAfterLabel(text, index), maxDigits: 9, hash: .optional)
    }
}
