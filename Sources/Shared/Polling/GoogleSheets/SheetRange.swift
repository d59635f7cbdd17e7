import Foundation

/// One configured range of a sheet source in A1 notation: `Leads!A:Z`, `'תל אביב'!A:Z`,
/// `'Jon''s data'!B2:F`, `Leads` (the whole tab) or `A:Z` (the first tab). The poller reads it in
/// row windows (``window(rows:)``) because a tab may hold tens of thousands of rows.
public struct SheetRange: Sendable, Hashable, CustomStringConvertible {
    /// The tab's name, unquoted; nil for the spreadsheet's first tab.
    public var tab: String?
    /// The first and last column letters (`A`, `Z`); nil for every column.
    public var columns: Columns?
    /// The 1-based row the range starts at (the header row unless the config says otherwise).
    public var firstRow: Int

    /// Parses `text`.
    ///
    /// - Throws: ``StoreError/invalid(field:message:)`` naming `config.ranges`.
    public init(_ text: String) throws(StoreError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw Self.invalid(text, "is empty") }
        var cells = Substring(trimmed)
        tab = nil
        if trimmed.hasPrefix("'") {
            var name = ""
            var index = trimmed.index(after: trimmed.startIndex)
            var closed = false
            while index < trimmed.endIndex {
                let character = trimmed[index]
                index = trimmed.index(after: index)
                if character == "'" {
                    if index < trimmed.endIndex, trimmed[index] == "'" {
                        name.append("'")
                        index = trimmed.index(after: index)
                    } else {
                        closed = true
                        break
                    }
                } else {
                    name.append(character)
                }
            }
            guard closed, !name.isEmpty else { throw Self.invalid(text, "has an unclosed or empty quoted tab name") }
            tab = name
            let rest = trimmed[index...]
            if rest.isEmpty {
                cells = ""
            } else {
                guard rest.first == "!" else { throw Self.invalid(text, "needs '!' after the quoted tab name") }
                cells = rest.dropFirst()
            }
        } else if let bang = trimmed.lastIndex(of: "!") {
            tab = String(trimmed[..<bang])
            cells = trimmed[trimmed.index(after: bang)...]
            guard tab?.isEmpty == false else { throw Self.invalid(text, "has an empty tab name") }
        } else if Self.cellRange(Substring(trimmed)) == nil {
            // No "!" and not a cell range: the whole tab of that name.
            tab = trimmed
            cells = ""
        }
        if cells.isEmpty {
            columns = nil
            firstRow = 1
        } else {
            guard let parsed = Self.cellRange(cells) else {
                throw Self.invalid(text, "must name columns like A:Z or A2:Z (rows are read to the end)")
            }
            columns = Columns(first: parsed.firstColumn, last: parsed.lastColumn)
            firstRow = parsed.firstRow ?? 1
        }
    }

    /// A span of columns by letters.
    public struct Columns: Sendable, Hashable {
        public var first: String
        public var last: String
    }

    /// The range as configured, normalized: the key its rows are tracked under.
    public var description: String {
        var text = tab.map { Self.quoted($0) + "!" } ?? ""
        if let columns {
            text += "\(columns.first)\(firstRow == 1 ? "" : String(firstRow)):\(columns.last)"
        } else if tab == nil {
            text += "A:ZZZ"
        }
        return text
    }

    /// Rows `rows` (1-based, inclusive) of the range in A1 notation, e.g. `'Leads'!A1:Z10000`.
    public func window(rows: ClosedRange<Int>) -> String {
        let prefix = tab.map { Self.quoted($0) + "!" } ?? ""
        guard let columns else { return "\(prefix)\(rows.lowerBound):\(rows.upperBound)" }
        return "\(prefix)\(columns.first)\(rows.lowerBound):\(columns.last)\(rows.upperBound)"
    }

    /// `name` single-quoted, inner quotes doubled (always quoted: Google accepts it for any name).
    static func quoted(_ name: String) -> String {
        "'" + name.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// `A:Z`, `A2:Z`, `B2:F900` (the end row is ignored: rows are read to the end).
    static func cellRange(_ text: Substring) -> (firstColumn: String, firstRow: Int?, lastColumn: String)? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let start = cell(parts[0]), let end = cell(parts[1]) else { return nil }
        return (start.column, start.row, end.column)
    }

    private static func cell(_ text: Substring) -> (column: String, row: Int?)? {
        let letters = text.prefix { $0.isASCII && $0.isLetter }
        let digits = text.dropFirst(letters.count)
        guard (1...3).contains(letters.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        guard digits.isEmpty || Int(digits) != nil else { return nil }
        let row = digits.isEmpty ? nil : Int(digits)
        if let row, row < 1 || row > 10_000_000 { return nil }
        return (letters.uppercased(), row)
    }

    private static func invalid(_ text: String, _ problem: String) -> StoreError {
        StoreError.invalid(field: "config.ranges", message: "'\(text.prefix(100))' \(problem)")
    }
}
