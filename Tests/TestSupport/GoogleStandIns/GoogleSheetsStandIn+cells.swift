import Synchronization

/// The spreadsheets' contents, changed by tests between (or during) polls. Row and column
/// numbers are 1-based as in the Sheets UI (row 1 is usually the header); `""` is an empty cell.
extension GoogleSheetsStandIn {
    /// Creates or replaces tab `tab` of `spreadsheetId` (creating the spreadsheet too); a new tab
    /// goes after the existing ones, so the first tab set is the one a range without a tab reads.
    public func setTab(_ tab: String, rows: [[String]], in spreadsheetId: String = defaultSpreadsheetId) {
        state.withLock { state in
            var tabs = state.spreadsheets[spreadsheetId] ?? []
            if let index = tabs.firstIndex(where: { $0.name == tab }) {
                tabs[index].rows = rows
            } else {
                tabs.append(Tab(name: tab, rows: rows))
            }
            state.spreadsheets[spreadsheetId] = tabs
        }
    }

    /// The rows of `tab` as stored (nil when there is no such tab).
    public func rows(of tab: String, in spreadsheetId: String = defaultSpreadsheetId) -> [[String]]? {
        state.withLock { state in state.spreadsheets[spreadsheetId]?.first { $0.name == tab }?.rows }
    }

    /// The tab names of `spreadsheetId`, in order.
    public func tabs(in spreadsheetId: String = defaultSpreadsheetId) -> [String] {
        state.withLock { state in state.spreadsheets[spreadsheetId]?.map(\.name) ?? [] }
    }

    /// Appends `rows` below the last row of `tab` (as Zapier or a form does).
    public func appendRows(_ rows: [[String]], to tab: String, in spreadsheetId: String = defaultSpreadsheetId) {
        change(tab, in: spreadsheetId) { $0.append(contentsOf: rows) }
    }

    /// Inserts `row` so that it becomes row `rowNumber`, moving that row and those below it down.
    public func insertRow(_ row: [String], at rowNumber: Int, in tab: String, of spreadsheetId: String = defaultSpreadsheetId) {
        change(tab, in: spreadsheetId) { rows in
            while rows.count < rowNumber - 1 { rows.append([]) }
            rows.insert(row, at: rowNumber - 1)
        }
    }

    /// Deletes row `rowNumber`, moving the rows below it up.
    public func deleteRow(_ rowNumber: Int, in tab: String, of spreadsheetId: String = defaultSpreadsheetId) {
        change(tab, in: spreadsheetId) { rows in
            if rows.indices.contains(rowNumber - 1) { rows.remove(at: rowNumber - 1) }
        }
    }

    /// Sets the cell at `row`, `column` (1 = A) to `value` (`""` empties it), growing the tab as needed.
    public func setCell(row: Int, column: Int, to value: String, in tab: String, of spreadsheetId: String = defaultSpreadsheetId) {
        change(tab, in: spreadsheetId) { rows in
            while rows.count < row { rows.append([]) }
            while rows[row - 1].count < column { rows[row - 1].append("") }
            rows[row - 1][column - 1] = value
        }
    }

    /// Renames the header cell `old` in row `headerRow` to `new` (no change when there is none).
    public func renameHeader(
        _ old: String,
        to new: String,
        headerRow: Int = 1,
        in tab: String,
        of spreadsheetId: String = defaultSpreadsheetId
    ) {
        change(tab, in: spreadsheetId) { rows in
            guard rows.indices.contains(headerRow - 1), let column = rows[headerRow - 1].firstIndex(of: old) else { return }
            rows[headerRow - 1][column] = new
        }
    }

    /// Renames tab `old` to `new` (a range naming the old tab then gets 400).
    public func renameTab(_ old: String, to new: String, in spreadsheetId: String = defaultSpreadsheetId) {
        state.withLock { state in
            guard let index = state.spreadsheets[spreadsheetId]?.firstIndex(where: { $0.name == old }) else { return }
            state.spreadsheets[spreadsheetId]?[index].name = new
        }
    }

    /// Applies `edit` to the rows of `tab` (created empty when missing).
    private func change(_ tab: String, in spreadsheetId: String, _ edit: (inout [[String]]) -> Void) {
        state.withLock { state in
            var tabs = state.spreadsheets[spreadsheetId] ?? []
            let index =
                tabs.firstIndex { $0.name == tab }
                ?? {
                    tabs.append(Tab(name: tab, rows: []))
                    return tabs.count - 1
                }()
            edit(&tabs[index].rows)
            state.spreadsheets[spreadsheetId] = tabs
        }
    }
}
