import Foundation
import Shared

extension GoogleSheetsStandIn {
    /// The rows of a tab's grid when it has fewer (a new Google sheet has 1,000).
    public static let defaultGridRows = 1_000
    /// The columns of a tab's grid when its widest row is narrower (a new Google sheet has 26, A–Z).
    public static let defaultGridColumns = 26

    /// The `ValueRange` answer for `range` of `tab`, as Google builds it: the window clipped to the
    /// tab's grid (the echoed `range` says so: `Leads!A:Z` → `Leads!A1:Z1000`), each row's trailing
    /// empty cells and the window's trailing empty rows omitted, `values` absent when empty. A
    /// window that starts beyond the grid is 400 "exceeds grid limits" (the wording Google uses
    /// for such ranges; that a read gets it rather than an empty answer is [UNCONFIRMED]).
    static func valueRange(of tab: Tab, in range: SheetsA1Range) -> StandInAnswer {
        let gridRows = max(defaultGridRows, tab.rows.count)
        let gridColumns = max(defaultGridColumns, tab.rows.map(\.count).max() ?? 0)
        let name = SheetsA1Range.quotedTabName(tab.name)
        guard range.firstRow <= gridRows, range.firstColumn <= gridColumns else {
            let quoted = "'" + tab.name.replacingOccurrences(of: "'", with: "''") + "'"
            let requested = cells(range.firstColumn, range.firstRow, range.lastColumn ?? gridColumns, range.lastRow ?? gridRows)
            return .googleInvalidArgument(
                "Range (\(quoted)!\(requested)) exceeds grid limits. Max rows: \(gridRows), max columns: \(gridColumns)"
            )
        }
        let lastRow = min(range.lastRow ?? gridRows, gridRows)
        let lastColumn = min(range.lastColumn ?? gridColumns, gridColumns)
        var values: [[String]] = []
        if range.firstRow <= tab.rows.count {
            for row in tab.rows[(range.firstRow - 1)..<min(lastRow, tab.rows.count)] {
                var cells = range.firstColumn <= row.count ? Array(row[(range.firstColumn - 1)..<min(lastColumn, row.count)]) : []
                while cells.last?.isEmpty == true { cells.removeLast() }
                values.append(cells)
            }
        }
        while values.last?.isEmpty == true { values.removeLast() }
        var body: [String: JSONValue] = [
            "range": .string("\(name)!\(cells(range.firstColumn, range.firstRow, lastColumn, lastRow))"),
            "majorDimension": "ROWS",
        ]
        if !values.isEmpty { body["values"] = .array(values.map { .array($0.map(JSONValue.string)) }) }
        return .ok(JSONValue.object(body).compactJSONText)
    }

    /// `A1:Z1000`-style cells.
    private static func cells(_ firstColumn: Int, _ firstRow: Int, _ lastColumn: Int, _ lastRow: Int) -> String {
        "\(SheetsA1Range.columnLetters(firstColumn))\(firstRow):\(SheetsA1Range.columnLetters(lastColumn))\(lastRow)"
    }
}
