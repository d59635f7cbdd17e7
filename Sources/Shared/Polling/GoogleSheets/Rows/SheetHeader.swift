import CSVReader
import Crypto

/// A sheet range's header row: a unique name per column, and how rows become leads — through
/// the source's `field_map` first, then the CSV importer's header aliases and Meta `p:`/`l:`
/// prefixes (``CSVColumnMap``). Rows are identified by their cells *by name*, so reordering
/// columns or adding one changes no row's identity.
public struct SheetHeader: Sendable, Hashable {
    /// One name per column, in order: the header text trimmed; an empty header cell is named by
    /// its column letter (`C`); a repeated name gets its letter appended (`Phone (D)`).
    public let names: [String]
    /// How a row's cells feed a lead.
    let columnMap: CSVColumnMap

    /// The header of `cells` (the header row as read) for a range starting at column
    /// `firstColumn`, mapped through `fieldMap` (header text → a lead field or `extra.<name>`).
    public init(cells: [String], firstColumn: String, fieldMap: [String: String]) {
        var names: [String] = []
        var seen: Set<String> = []
        for (index, cell) in cells.enumerated() {
            let letter = SheetColumnLetters.letters(offset: index, from: firstColumn)
            var name = cell.csvTrimmed
            if name.isEmpty { name = letter }
            if seen.contains(name) { name += " (\(letter))" }
            seen.insert(name)
            names.append(name)
        }
        self.names = names
        let mapped = names.map { name -> String in
            guard let target = fieldMap[name] else { return name }
            return target.hasPrefix("extra.") ? String(target.dropFirst(6)) : target
        }
        columnMap = CSVColumnMap(header: mapped)
    }

    /// Whether some column names an email address or a phone number (else no row can be a lead).
    public var hasContactColumn: Bool { columnMap.hasContactColumn }

    /// The non-empty cells of `row` by column name (cells past the header as `_extra_1`, …).
    public func cells(of row: [String]) -> [String: String] {
        var cells: [String: String] = [:]
        for (index, value) in row.enumerated() {
            let trimmed = value.csvTrimmed
            guard !trimmed.isEmpty else { continue }
            let name = index < names.count ? names[index] : CSVRecord.extraFieldName(index - names.count + 1)
            cells[name] = trimmed
        }
        return cells
    }

    /// The identity of a row with `cells`: SHA-256 over its non-empty cells sorted by name.
    public static func hash(of cells: [String: String]) -> [UInt8] {
        var hasher = SHA256()
        for name in cells.keys.sorted() {
            hasher.update(data: Array(name.utf8))
            hasher.update(data: [0x1F])
            hasher.update(data: Array((cells[name] ?? "").utf8))
            hasher.update(data: [0x1E])
        }
        return Array(hasher.finalize())
    }

    /// `row` (sheet row `rowNumber`) as a lead input; `raw` keeps the cells by name.
    public func leadInput(row: [String], rowNumber: Int) -> LeadInput {
        var input = columnMap.leadInput(for: CSVRecord(fields: row, recordNumber: rowNumber, line: rowNumber), keepRaw: false)
        var raw: [String: JSONValue] = [:]
        for (name, value) in cells(of: row) { raw[name] = .string(value) }
        input.raw = .object(raw)
        return input
    }

    /// How this header differs from `previous` (the one rows were read with before): the names
    /// that are gone and the ones that are new.
    public func changes(from previous: [String]) -> (removed: [String], added: [String]) {
        let current = Set(names)
        let before = Set(previous)
        return (previous.filter { !current.contains($0) }, names.filter { !before.contains($0) })
    }
}

/// Spreadsheet column letters: A … Z, AA … ZZ, AAA ….
public enum SheetColumnLetters {
    /// The letters of the column `offset` places right of `first` (`"A"`, 2 → `"C"`).
    public static func letters(offset: Int, from first: String) -> String {
        var number = offset + index(of: first)
        var letters = ""
        repeat {
            letters.insert(Character(UnicodeScalar(UInt8(65 + number % 26))), at: letters.startIndex)
            number = number / 26 - 1
        } while number >= 0
        return letters
    }

    /// The 0-based index of a column's letters (`A` → 0, `AA` → 26).
    static func index(of letters: String) -> Int {
        var number = 0
        for scalar in letters.uppercased().unicodeScalars where ("A"..."Z").contains(scalar) {
            number = number * 26 + Int(scalar.value - 64)
        }
        return max(0, number - 1)
    }
}
