import Foundation
import Shared

/// A sheet's data rows as the sheet poller sees them, for the row-diff tests: blank rows skipped,
/// each row keyed by the hash of its cells by name, its rank among identical rows and the row
/// above (the same steps as the worker's `SheetPoll.read` and `SheetPoll.identify`).
struct SheetRowsAsPolled {
    let header: SheetHeader
    /// The rows read, top to bottom.
    let rows: [SheetRowRead]

    /// `data` read below a header row 1 holding `columns` (data rows are 2, 3, …).
    init(columns: [String], _ data: [[String]]) {
        header = SheetHeader(cells: columns, firstColumn: "A", fieldMap: [:])
        let numbered = data.enumerated().map { ($0.offset + 2, $0.element) }
            .filter { _, cells in cells.contains { !$0.trimmingCharacters(in: .whitespaces).isEmpty } }
        var seen: [[UInt8]: Int] = [:]
        var previous: [UInt8]?
        var rows: [SheetRowRead] = []
        for (number, cells) in numbered {
            let named = header.cells(of: cells)
            let hash = SheetHeader.hash(of: named)
            let occurrence = (seen[hash] ?? 0) + 1
            seen[hash] = occurrence
            rows.append(
                SheetRowRead(
                    rowNumber: number,
                    key: SheetRowKey(hash: hash, occurrence: occurrence),
                    previousHash: previous,
                    row: cells,
                    cells: named
                )
            )
            previous = hash
        }
        self.rows = rows
    }

    /// These rows as `sheet_rows` holds them after a poll, each with a lead (ids 1, 2, … top to bottom).
    var known: [SheetRowKey: SheetRowKnown] {
        var known: [SheetRowKey: SheetRowKnown] = [:]
        for (index, row) in rows.enumerated() {
            known[row.key] = SheetRowKnown(key: row.key, previousHash: row.previousHash, leadId: Int64(index + 1), rejected: false, cells: row.cells)
        }
        return known
    }

    /// The key of the row whose first cell is `first` (its `occurrence`-th among identical rows).
    func key(_ first: String, occurrence: Int = 1) -> SheetRowKey? {
        rows.filter { $0.row.first == first }.map(\.key).first { $0.occurrence == occurrence }
    }

    /// The diff of these rows against the rows of an earlier read.
    func diff(since earlier: SheetRowsAsPolled) -> SheetRowDiff {
        SheetRowDiff(rows: rows, known: earlier.known, identityColumns: header.identityColumns)
    }
}
