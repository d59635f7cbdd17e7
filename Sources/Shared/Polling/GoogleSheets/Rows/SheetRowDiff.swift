/// A row of a sheet range as identified across polls: the hash of its cells and which of the
/// identical rows it is (1 for the first).
public struct SheetRowKey: Sendable, Hashable {
    /// ``SheetHeader/hash(of:)`` of the row's cells.
    public var hash: [UInt8]
    /// 1-based rank among rows with the same hash, top to bottom.
    public var occurrence: Int

    /// Creates a key.
    public init(hash: [UInt8], occurrence: Int) {
        self.hash = hash
        self.occurrence = occurrence
    }
}

/// One non-blank data row as read now.
public struct SheetRowRead: Sendable, Hashable {
    /// The 1-based row number in the sheet.
    public var rowNumber: Int
    public var key: SheetRowKey
    /// The hash of the non-blank row above it (nil for the first data row).
    public var previousHash: [UInt8]?
    /// The cells as read (kept only for rows that are not known).
    public var row: [String]
    /// Non-empty cells by column name (kept only for rows that are not known).
    public var cells: [String: String]

    /// Creates a row as read.
    public init(rowNumber: Int, key: SheetRowKey, previousHash: [UInt8]?, row: [String], cells: [String: String]) {
        self.rowNumber = rowNumber
        self.key = key
        self.previousHash = previousHash
        self.row = row
        self.cells = cells
    }
}

/// A row read earlier (`sheet_rows`), as far as the diff needs it.
public struct SheetRowKnown: Sendable, Hashable {
    public var key: SheetRowKey
    /// The row above it when it was last read.
    public var previousHash: [UInt8]?
    public var leadId: Int64?
    public var rejected: Bool
    /// Its cells by name (loaded only for rows that vanished).
    public var cells: [String: String]

    /// Creates a known row.
    public init(key: SheetRowKey, previousHash: [UInt8]?, leadId: Int64?, rejected: Bool, cells: [String: String] = [:]) {
        self.key = key
        self.previousHash = previousHash
        self.leadId = leadId
        self.rejected = rejected
        self.cells = cells
    }
}

/// How a range's rows changed since they were last read. Rows are known by their content, so
/// rows inserted above, deleted or sorted are recognised wherever they are. A row whose content
/// changed is told from a new one by where it sits and what it says: it keeps the email, phone
/// or external id of a row that vanished, and that row had the same row above it and at least
/// half their cells agree, or three quarters agree wherever it sits — else it is a new row (a lead is never lost to a lookalike edit:
/// deleting the last row and adding an unrelated one is a new lead).
public struct SheetRowDiff: Sendable {
    /// Rows not seen before: each may become a lead.
    public var new: [SheetRowRead] = []
    /// Rows whose content changed: the row now and the known row it was.
    public var edited: [(now: SheetRowRead, before: SheetRowKnown)] = []
    /// Known rows whose row above changed (rows inserted or deleted around them): their new
    /// `previous_hash` and row number.
    public var moved: [(key: SheetRowKey, previousHash: [UInt8]?, rowNumber: Int)] = []
    /// Known rows no longer in the sheet (deleted, or edited into a row counted in ``edited``'s `before`).
    public var vanished: [SheetRowKey] = []

    /// Compares the rows read now (`rows`, top to bottom) with the `known` rows (those not read
    /// now with their cells). An edit keeps the value of one of `identityColumns` (the email,
    /// phone or external id columns; none: any row may be an edit).
    public init(rows: [SheetRowRead], known: [SheetRowKey: SheetRowKnown], identityColumns: Set<String> = []) {
        let present = Set(rows.map(\.key))
        var vanishedByAnchor: [[UInt8]?: [SheetRowKnown]] = [:]
        for (key, row) in known where !present.contains(key) {
            vanishedByAnchor[row.previousHash, default: []].append(row)
        }
        var paired: Set<SheetRowKey> = []
        // The hash, as last read, of the nearest row above that was there last time (rows new
        // since are skipped): the row an edited row's old version had above it.
        var anchor: [UInt8]? = nil
        var unpaired: [SheetRowRead] = []
        for row in rows {
            if let before = known[row.key] {
                if before.previousHash != row.previousHash { moved.append((row.key, row.previousHash, row.rowNumber)) }
                anchor = row.key.hash
                continue
            }
            let candidates = vanishedByAnchor[anchor] ?? []
            if let match = candidates.first(where: {
                !paired.contains($0.key) && Self.similarity($0.cells, row.cells) >= 0.5
                    && Self.sameLead($0.cells, row.cells, identityColumns: identityColumns)
            }) {
                paired.insert(match.key)
                edited.append((row, match))
                anchor = match.key.hash
            } else {
                unpaired.append(row)
            }
        }
        // Rows edited and moved at once: paired only when most of their cells agree.
        let leftover = vanishedByAnchor.values.joined().filter { !paired.contains($0.key) }
        for row in unpaired {
            if let match = leftover.first(where: {
                !paired.contains($0.key) && Self.similarity($0.cells, row.cells) >= 0.75
                    && Self.sameLead($0.cells, row.cells, identityColumns: identityColumns)
            }) {
                paired.insert(match.key)
                edited.append((row, match))
            } else {
                new.append(row)
            }
        }
        vanished = known.keys.filter { !present.contains($0) }
    }

    /// Whether two versions of a row keep a value of one of `identityColumns` (always, when there are none).
    static func sameLead(_ before: [String: String], _ now: [String: String], identityColumns: Set<String>) -> Bool {
        identityColumns.isEmpty || identityColumns.contains { column in before[column].map { $0 == now[column] } ?? false }
    }

    /// The share of the columns either row fills that hold the same value in both.
    static func similarity(_ before: [String: String], _ now: [String: String]) -> Double {
        let columns = Set(before.keys).union(now.keys)
        guard !columns.isEmpty else { return 0 }
        let same = columns.filter { before[$0] == now[$0] }.count
        return Double(same) / Double(columns.count)
    }
}

extension SheetRowKey {
    /// Lower-case hex of `bytes` (a row hash), as `sheet_rows` statements pass hashes.
    public static func hex(_ bytes: [UInt8]) -> String { WebhookEncoding.hex(bytes) }
}
