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
    /// The columns that say who the lead is (email, phone, external id): an edited row keeps one of them.
    public let identityColumns: Set<String>
    /// Placeholder header names of columns the field map sends to `extra.<name>`, and that name.
    let extraTargets: [String: String]

    /// The header of `cells` (the header row as read) for a range starting at column
    /// `firstColumn`, mapped through `fieldMap` (header text → a lead field or `extra.<name>`).
    public init(cells: [String], firstColumn: String, fieldMap: [String: String]) {
        var names: [String] = []
        var seen: Set<String> = []
        for (index, cell) in cells.enumerated() {
            let letter = SheetColumnLetters.letters(offset: index, from: firstColumn)
            var name = cell.csvTrimmed
            if name.isEmpty { name = letter }
            var candidate = name
            var attempt = 1
            while seen.contains(candidate) {
                candidate = attempt == 1 ? "\(name) (\(letter))" : "\(name) (\(letter)\(attempt))"
                attempt += 1
            }
            seen.insert(candidate)
            names.append(candidate)
        }
        self.names = names
        var extraTargets: [String: String] = [:]
        let mapped = names.enumerated().map { index, name -> String in
            guard let target = fieldMap[name] else { return name }
            guard target.hasPrefix("extra.") else { return target }
            // A name that matches no field alias, renamed back to the target after mapping.
            let placeholder = "\u{1}extra \(index)"
            extraTargets[placeholder] = String(target.dropFirst(6))
            return placeholder
        }
        self.extraTargets = extraTargets
        let columnMap = CSVColumnMap(header: mapped)
        self.columnMap = columnMap
        let identityIndices = [LeadField.email, .phone, .externalId].flatMap { columnMap.fieldColumns[$0] ?? [] }
        identityColumns = Set(identityIndices.map { names[$0] })
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

    /// `row` (sheet row `rowNumber`) as a lead input. As for CSV rows, `raw` is not kept: the
    /// row's cells by name are in `sheet_rows`.
    public func leadInput(row: [String], rowNumber: Int) -> LeadInput {
        var input = columnMap.leadInput(for: CSVRecord(fields: row, recordNumber: rowNumber, line: rowNumber), keepRaw: false)
        for (placeholder, target) in extraTargets {
            if let value = input.extra.removeValue(forKey: placeholder) { input.extra[target] = value }
        }
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
