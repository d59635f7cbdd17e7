/// Turns raw header cells into usable, unique column names.
public enum CSVHeaderNames {
    /// Trims each name; names a blank cell after its 1-based position (`column_3`); renames a
    /// repeated name (compared case-insensitively) to `name_2`, `name_3`, …. Each change comes
    /// with a warning for the header `line`.
    public static func makeUnique(_ raw: [String], line: Int = 1) -> (names: [String], issues: [CSVIssue]) {
        var names: [String] = []
        var issues: [CSVIssue] = []
        var firstColumn: [String: Int] = [:]  // lowercased name → 1-based column that holds it
        names.reserveCapacity(raw.count)
        for (offset, cell) in raw.enumerated() {
            let column = offset + 1
            let trimmed = cell.csvTrimmed
            var name = trimmed.isEmpty ? "column_\(column)" : trimmed
            if trimmed.isEmpty {
                issues.append(.blankHeader(line: line, column: column, renamed: name))
            }
            if let existing = firstColumn[name.lowercased()] {
                var suffix = 2
                while firstColumn["\(name)_\(suffix)".lowercased()] != nil { suffix += 1 }
                let renamed = "\(name)_\(suffix)"
                issues.append(.duplicateHeader(line: line, column: column, firstColumn: existing, name: name, renamed: renamed))
                name = renamed
            }
            firstColumn[name.lowercased()] = column
            names.append(name)
        }
        return (names, issues)
    }
}

extension String {
    /// The string without leading and trailing whitespace and newlines.
    ///
    /// Trimmed scalar by scalar: a `Character` counts as whitespace when its *first* scalar is, so
    /// trimming by `Character` would also drop an accent combined with a leading space (`" \u{301}"`).
    public var csvTrimmed: String {
        // Fast path: starts and ends with a visible ASCII character (the usual cell).
        if let head = utf8.first, let tail = utf8.last, head > 0x20, head < 0x7F, tail > 0x20, tail < 0x7F {
            return self
        }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }

    /// Whether the string is empty or nothing but whitespace scalars.
    var isCSVBlank: Bool { unicodeScalars.allSatisfy(\.properties.isWhitespace) }
}
