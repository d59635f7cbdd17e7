import Crypto
import Foundation
import Logging
import PostgresNIO
import Shared

/// One poll of a `sheet` source: reads each range in row windows, tells new, edited, moved and
/// deleted rows apart (``SheetRowDiff``), turns new rows into leads through the intake write
/// path in batches, and returns the source's new cursor. Each batch commits its leads with its
/// `sheet_rows`, so a poll cut short (a killed worker, a quota) is taken up where it stopped.
struct SheetPoll: Sendable {
    let source: Source
    let config: SheetSourceConfig
    let client: GoogleSheetsClient
    let writer: PolledLeadWriter
    let region: String
    /// Waits for the account's read quota before each request; throws ``PollStop`` when it is spent.
    let beforeRead: @Sendable () async throws -> Void
    /// Renews the lease; false when it was lost (another worker owns the source now).
    let renewLease: @Sendable () async throws -> Bool
    let logger: Logger

    /// Rows written per transaction.
    static let batchSize = 1_000

    /// Polls every range; returns the new cursor (the old one where a range could not be read).
    func run(_ lease: SourcePollLease, record: inout PollRunRecord) async throws -> [String: JSONValue] {
        var cursor = lease.cursor
        var ranges: [String: JSONValue] = [:]
        if case .object(let stored)? = cursor["ranges"] { ranges = stored }
        for range in config.ranges {
            let key = range.description
            var stored: [String: JSONValue] = [:]
            if case .object(let object)? = ranges[key] { stored = object }
            if let updated = try await poll(range, stored: stored, acceptHeader: lease.acceptHeader, record: &record) {
                ranges[key] = .object(updated)
            }
            if record.outcome != .ok { break }
        }
        cursor["ranges"] = .object(ranges)
        return cursor
    }

    /// Polls one range; returns its new cursor entry, nil when it stays as it was.
    private func poll(
        _ range: SheetRange,
        stored: [String: JSONValue],
        acceptHeader: Bool,
        record: inout PollRunRecord
    ) async throws -> [String: JSONValue]? {
        let headerRow = config.headerRow(of: range)
        let clock = ContinuousClock()
        let readStart = clock.now
        let requestsBefore = record.requests
        let table = try await read(range, from: headerRow, record: &record)
        let readTime = clock.now - readStart
        guard let headerCells = table.header, !headerCells.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
            record.notes.append("\(range): no header in row \(headerRow) yet")
            return nil
        }
        let header = SheetHeader(cells: headerCells, firstColumn: range.columns?.first ?? "A", fieldMap: source.fieldMap)
        guard header.hasContactColumn else {
            record.fail(
                "\(range): no column holds an email address or a phone number, so no row can become a lead; "
                    + "row \(headerRow) has: \(header.names.prefix(30).joined(separator: ", "))",
                showAsState: true
            )
            return nil
        }
        var acceptedChange = false
        if case .array(let previous)? = stored["header"] {
            let previousNames = previous.compactMap(\.scalarText)
            let (removed, added) = header.changes(from: previousNames)
            if !removed.isEmpty {
                guard acceptHeader else {
                    record.fail(
                        "header changed in \(range): \(removed.map { "'\($0)'" }.joined(separator: ", ")) "
                            + "\(removed.count == 1 ? "is" : "are") gone (row \(headerRow) now reads: \(header.names.joined(separator: ", "))). "
                            + "Rows are not read until the header is fixed, or accepted with "
                            + "`leadctl source poll '\(source.name)' --accept-header` (or on the source's page)",
                        showAsState: true
                    )
                    return nil
                }
                acceptedChange = true
                record.acceptedHeader = true
                record.notes.append("\(range): new header accepted (gone: \(removed.joined(separator: ", ")))")
            }
            if !added.isEmpty { record.notes.append("\(range): new column(s) \(added.joined(separator: ", "))") }
        }
        let rows = Self.identify(table.rows, header: header)
        record.rowsRead += rows.count
        let digest = Self.digest(rows, header: header)
        var entry: [String: JSONValue] = [
            "header": .array(header.names.map { .string($0) }), "digest": .string(digest), "rows": .number(JSONNumber(rows.count)),
        ]
        if stored["digest"]?.scalarText == digest, !acceptedChange { return entry }
        let store = SheetRowStore(postgres: writer.postgres, sourceId: source.id, rangeKey: range.description, logger: logger)
        var known = try await store.known()
        if stored.isEmpty, known.isEmpty, config.start == .now {
            try await recordWithoutImport(rows, header: header, store: store)
            record.notes.append("\(range): start_at now: \(rows.count) existing row(s) recorded, not imported")
            return entry
        }
        let present = Set(rows.map(\.key))
        let vanished = known.keys.filter { !present.contains($0) }
        for (key, cells) in try await store.cells(of: Array(vanished.prefix(10_000))) { known[key]?.cells = cells }
        let diff = SheetRowDiff(rows: rows, known: known, identityColumns: header.identityColumns)
        let writeStart = clock.now
        let completed = try await apply(diff, header: header, store: store, range: range, silently: acceptedChange, record: &record)
        if !diff.new.isEmpty || !diff.edited.isEmpty {
            record.notes.append(
                "\(range): \(rows.count) rows read in \(record.requests - requestsBefore) request(s), \(Self.text(readTime)) "
                    + "(Sheets API \(Self.text(table.google)), quota waits \(Self.text(table.quotaWait))); "
                    + "\(diff.new.count) new and \(diff.edited.count) edited written in \(Self.text(clock.now - writeStart))"
            )
        }
        if !completed { entry["digest"] = stored["digest"] ?? .null }
        return entry
    }

    /// The header row and the data rows below it (blank rows skipped), read window by window
    /// until a window comes back short.
    private func read(
        _ range: SheetRange,
        from headerRow: Int,
        record: inout PollRunRecord
    ) async throws -> (header: [String]?, rows: [(Int, [String])], quotaWait: Duration, google: Duration) {
        var header: [String]?
        var rows: [(Int, [String])] = []
        var start = headerRow
        let clock = ContinuousClock()
        var quotaWait = Duration.zero
        var google = Duration.zero
        while true {
            quotaWait += try await clock.measure { try await beforeRead() }
            record.requests += 1
            let window = range.window(rows: start...(start + config.pageRows - 1))
            var values: [[String]] = []
            let requestStart = clock.now
            do {
                values = try await client.values(window)
                google += clock.now - requestStart
            } catch {
                // A full window that ended exactly at the grid's last row: the next one is past it.
                if start > headerRow, case .badRange(let message) = error, message.contains("exceeds grid limits") { break }
                throw PollStop.sheets(error)
            }
            for (offset, cells) in values.enumerated() {
                let number = start + offset
                if number == headerRow {
                    header = cells
                } else if cells.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                    rows.append((number, cells))
                }
            }
            if values.count < config.pageRows { break }
            start += config.pageRows
            guard try await renewLease() else { throw PollStop.leaseLost }
        }
        return (header, rows, quotaWait, google)
    }

    /// `duration` in seconds with one decimal, e.g. `1.2 s`.
    static func text(_ duration: Duration) -> String {
        let milliseconds = duration.wholeMilliseconds
        return "\(milliseconds / 1_000).\(milliseconds % 1_000 / 100) s"
    }

    /// The rows with their keys: hash of their cells by name, rank among identical rows, the row above.
    static func identify(_ rows: [(Int, [String])], header: SheetHeader) -> [SheetRowRead] {
        var seen: [[UInt8]: Int] = [:]
        var previous: [UInt8]?
        return rows.map { number, cells in
            let named = header.cells(of: cells)
            let hash = SheetHeader.hash(of: named)
            let occurrence = (seen[hash] ?? 0) + 1
            seen[hash] = occurrence
            defer { previous = hash }
            return SheetRowRead(
                rowNumber: number,
                key: SheetRowKey(hash: hash, occurrence: occurrence),
                previousHash: previous,
                row: cells,
                cells: named
            )
        }
    }

    /// A digest of the header and every row's key in order: unchanged means nothing to do.
    static func digest(_ rows: [SheetRowRead], header: SheetHeader) -> String {
        var hasher = SHA256()
        for name in header.names { hasher.update(data: Array(name.utf8) + [0x1F]) }
        for row in rows {
            hasher.update(data: row.key.hash)
            withUnsafeBytes(of: Int64(row.key.occurrence).bigEndian) { hasher.update(bufferPointer: $0) }
        }
        return SheetRowKey.hex(Array(hasher.finalize()))
    }

    /// `start_at: now` on a first poll: every row recorded as read, none imported.
    private func recordWithoutImport(_ rows: [SheetRowRead], header: SheetHeader, store: SheetRowStore) async throws {
        for start in stride(from: 0, to: rows.count, by: Self.batchSize) {
            let batch = rows[start..<min(rows.count, start + Self.batchSize)].map { (read: $0, leadId: Int64?.none, rejected: false) }
            try await writer.postgres.withTransaction(logger: logger) { connection in
                try await store.insert(batch, on: connection)
            }
        }
    }

    /// Writes the diff: new rows as leads in batches, edits as changes on their leads, moved and
    /// deleted rows; false when the lease was lost on the way.
    private func apply(
        _ diff: SheetRowDiff,
        header: SheetHeader,
        store: SheetRowStore,
        range: SheetRange,
        silently: Bool,
        record: inout PollRunRecord
    ) async throws -> Bool {
        // An edited row that had been rejected is read again as a new row (it may be fixed now).
        let retried = diff.edited.filter { $0.before.leadId == nil }
        let edits = diff.edited.filter { $0.before.leadId != nil }
        var fresh = diff.new + retried.map(\.now)
        fresh.sort { $0.rowNumber < $1.rowNumber }
        let retiredKeys = retried.map(\.before.key)
        record.newRows += fresh.count
        let origin = LeadBatchOrigin(tenantId: source.tenantId, sourceId: source.id, channel: .sheet)
        for start in stride(from: 0, to: fresh.count, by: Self.batchSize) {
            let batch = Array(fresh[start..<min(fresh.count, start + Self.batchSize)])
            let inputs = batch.map { header.leadInput(row: $0.row, rowNumber: $0.rowNumber) }
            let retire = start == 0 ? retiredKeys : []
            let items = try await writer.write(inputs, origin: origin, region: region) { connection, items in
                try await store.delete(retire, on: connection)
                try await store.insert(
                    zip(batch, items).map { read, item in
                        if case .rejected = item { return (read, nil, true) }
                        return (read, item.leadId, false)
                    },
                    on: connection
                )
            }
            record.count(items) { index, reason in
                let read = batch[index]
                return ImportRowError(row: read.rowNumber, line: nil, reason: "\(range) row \(read.rowNumber): \(reason)", fields: read.cells)
            }
            guard try await renewLease() else {
                record.outcome = .partial
                record.notes.append("lost the lease after \(start + batch.count) of \(fresh.count) new rows; the next poll goes on")
                return false
            }
        }
        let replaced = Set(diff.edited.map(\.before.key))
        let vanished = diff.vanished.filter { !replaced.contains($0) }
        let location = "\(range)"
        try await writer.postgres.withTransaction(logger: logger) { connection in
            for (now, before) in edits {
                if silently {
                    try await store.delete([before.key], on: connection)
                    try await store.insert([(now, before.leadId, before.rejected)], on: connection)
                } else {
                    try await store.recordEdit(now, before: before, location: "\(location) row \(now.rowNumber)", on: connection)
                }
            }
            try await store.move(diff.moved, on: connection)
            try await store.delete(vanished, on: connection)
        }
        if !silently { record.changed += edits.count }
        if !vanished.isEmpty { record.notes.append("\(range): \(vanished.count) row(s) deleted from the sheet") }
        return true
    }
}
