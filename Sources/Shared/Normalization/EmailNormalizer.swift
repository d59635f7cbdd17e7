/// Checks and normalizes email addresses: trimmed, domain lower-cased, syntax checked
/// (one `@`, a local part of 1–64 characters without spaces, a dotted domain of letters,
/// digits and hyphens with an alphabetic top-level label).
public enum EmailNormalizer {
    /// The normalized address, or nil when `raw` is not a plausible email address.
    public static func normalize(_ raw: String) -> String? {
        var text = Substring(raw).trimmingWhitespace()
        if text.lowercased().hasPrefix("mailto:") { text = text.dropFirst(7) }
        guard text.utf8.count <= 254, let at = text.lastIndex(of: "@") else { return nil }
        let local = text[..<at]
        let domain = text[text.index(after: at)...].lowercased()
        guard (1...64).contains(local.utf8.count),
            !local.hasPrefix("."), !local.hasSuffix("."), !local.contains(".."),
            local.unicodeScalars.allSatisfy(isLocalPartScalar)
        else { return nil }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, let topLevel = labels.last, topLevel.count >= 2,
            topLevel.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic }),
            labels.allSatisfy({ label in
                (1...63).contains(label.utf8.count) && !label.hasPrefix("-") && !label.hasSuffix("-")
                    && label.unicodeScalars.allSatisfy { $0 == "-" || $0.properties.isAlphabetic || ("0"..."9").contains($0) }
            })
        else { return nil }
        return local + "@" + domain
    }

    private static func isLocalPartScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value > 0x7F { return scalar.properties.isAlphabetic || scalar.properties.numericType != nil }
        if ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) { return true }
        return "!#$%&'*+-/=?^_`{|}~.".unicodeScalars.contains(scalar)
    }
}

extension Substring {
    /// The substring without leading and trailing whitespace and newlines.
    func trimmingWhitespace() -> Substring {
        var result = self
        while let first = result.first, first.isWhitespace { result.removeFirst() }
        while let last = result.last, last.isWhitespace { result.removeLast() }
        return result
    }
}
