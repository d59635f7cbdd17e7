import Foundation

/// A range in A1 notation as the Sheets API reads it: an optional tab name (single-quoted when it
/// has spaces or other characters, `''` for a quote inside) followed by `!` and cells — `A1:Z10`,
/// `A:Z` (whole columns), `1:2` (whole rows), `A5:Z` (from row 5 down), `C3` (one cell) — or a tab
/// name alone (the whole tab), or cells alone (the first tab). Column letters are case-insensitive.
public struct SheetsA1Range: Equatable, Sendable {
    /// The tab, unquoted; nil: the spreadsheet's first tab.
    public var tab: String?
    /// The first column (1 = A).
    public var firstColumn: Int
    /// The last column (1 = A); nil: to the tab's last column.
    public var lastColumn: Int?
    /// The first row (1-based).
    public var firstRow: Int
    /// The last row (1-based); nil: to the tab's last row.
    public var lastRow: Int?

    /// A range from its parts.
    public init(tab: String?, firstColumn: Int = 1, lastColumn: Int? = nil, firstRow: Int = 1, lastRow: Int? = nil) {
        self.tab = tab
        self.firstColumn = firstColumn
        self.lastColumn = lastColumn
        self.firstRow = firstRow
        self.lastRow = lastRow
    }

    /// The range `text` (already percent-decoded) names; nil when the Sheets API could not parse it.
    public init?(parsing text: String) {
        var tab: String?
        var cells: Substring
        if text.hasPrefix("'") {
            guard let (name, rest) = Self.quotedName(text.dropFirst()) else { return nil }
            tab = name
            if rest.isEmpty {
                cells = ""
            } else {
                guard rest.first == "!", rest.count > 1 else { return nil }
                cells = rest.dropFirst()
            }
        } else if let bang = text.lastIndex(of: "!") {
            tab = String(text[..<bang])
            cells = text[text.index(after: bang)...]
            if cells.isEmpty { return nil }
        } else if Self.cells(Substring(text)) != nil {
            cells = Substring(text)
        } else {
            tab = text
            cells = ""
        }
        if tab?.isEmpty == true { return nil }
        if cells.isEmpty {
            self.init(tab: tab)
            return
        }
        guard let bounds = Self.cells(cells) else { return nil }
        self.init(tab: tab, firstColumn: bounds.0, lastColumn: bounds.1, firstRow: bounds.2, lastRow: bounds.3)
    }

    /// The column number of `letters` (`A` = 1, `Z` = 26, `AA` = 27); nil when not letters.
    public static func columnNumber(_ letters: some StringProtocol) -> Int? {
        guard !letters.isEmpty, letters.count <= 3 else { return nil }
        var number = 0
        for character in letters.uppercased().unicodeScalars {
            guard ("A"..."Z").contains(character) else { return nil }
            number = number * 26 + Int(character.value - UnicodeScalar("A").value + 1)
        }
        return number
    }

    /// The letters of column `number` (1 = `A`, 27 = `AA`).
    public static func columnLetters(_ number: Int) -> String {
        var letters = ""
        var rest = number
        while rest > 0 {
            let digit = (rest - 1) % 26
            letters = String(UnicodeScalar(UInt8(65 + digit))) + letters
            rest = (rest - 1) / 26
        }
        return letters
    }

    /// `name` as Google writes it in a range: bare when it is letters, digits and `_` only (and
    /// not cell-like), else single-quoted with `'` doubled.
    public static func quotedTabName(_ name: String) -> String {
        let plain = name.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "_") }
        if plain, let first = name.unicodeScalars.first, !CharacterSet.decimalDigits.contains(first), cells(Substring(name)) == nil {
            return name
        }
        return "'" + name.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// The name inside single quotes at the start of `text` (after the opening quote), and what
    /// follows the closing quote.
    private static func quotedName(_ text: Substring) -> (String, Substring)? {
        var name = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            index = text.index(after: index)
            guard character == "'" else {
                name.append(character)
                continue
            }
            if index < text.endIndex, text[index] == "'" {
                name.append("'")
                index = text.index(after: index)
            } else {
                return (name, text[index...])
            }
        }
        return nil
    }

    /// The bounds (first column, last column, first row, last row) of cells such as `A1:Z10`,
    /// `A:Z`, `1:2`, `A5:Z` or `C3`.
    private static func cells(_ text: Substring) -> (Int, Int?, Int, Int?)? {
        let ends = text.split(separator: ":", omittingEmptySubsequences: false)
        guard ends.count <= 2, let start = reference(ends[0]) else { return nil }
        guard ends.count == 2 else {
            guard let column = start.column, let row = start.row else { return nil }
            return (column, column, row, row)
        }
        guard let end = reference(ends[1]), (start.column == nil) == (end.column == nil) else { return nil }
        if start.column == nil, start.row == nil || end.row == nil { return nil }
        let firstColumn = min(start.column ?? 1, end.column ?? 1)
        let lastColumn = start.column.flatMap { first in end.column.map { max(first, $0) } }
        let firstRow = min(start.row ?? 1, end.row ?? Int.max)
        let lastRow = end.row.map { max($0, start.row ?? 1) }
        return (firstColumn, lastColumn, firstRow, lastRow)
    }

    /// The column and row of a reference such as `A1`, `A` or `1` (both nil: not a reference).
    private static func reference(_ text: Substring) -> (column: Int?, row: Int?)? {
        let letters = text.prefix { $0.isASCII && $0.isLetter }
        let digits = text.dropFirst(letters.count)
        guard !text.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let column = letters.isEmpty ? nil : columnNumber(letters)
        if !letters.isEmpty && column == nil { return nil }
        let row = digits.isEmpty ? nil : Int(digits)
        if let row, row < 1 { return nil }
        return (column, row)
    }
}
