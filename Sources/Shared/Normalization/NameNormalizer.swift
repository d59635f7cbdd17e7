/// Cleans personal names: trimmed, inner whitespace collapsed to one space.
public enum NameNormalizer {
    /// The cleaned name, or nil when nothing but whitespace remains.
    public static func clean(_ raw: String?) -> String? {
        guard let raw else { return nil }
        let cleaned = raw.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return cleaned.isEmpty ? nil : cleaned
    }

    /// Splits a full name into first and last: the last word is the last name, the rest the
    /// first name; a single word is a first name only.
    public static func split(fullName: String) -> (first: String?, last: String?) {
        let words = fullName.split(whereSeparator: \.isWhitespace)
        switch words.count {
        case 0: return (nil, nil)
        case 1: return (String(words[0]), nil)
        default: return (words.dropLast().joined(separator: " "), String(words[words.count - 1]))
        }
    }
}
