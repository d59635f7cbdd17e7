import CSVReader

/// Turns the bytes of an uploaded CSV file into batches of normalized leads and rejected rows,
/// as the bytes arrive. Pure logic: the caller writes each batch and keeps the counts.
///
/// ```swift
/// var batcher = CSVImportBatcher(defaultRegion: "US", batchSize: 2_000)
/// for try await chunk in body { for batch in try batcher.consume(chunk.readableBytesView) { write(batch) } }
/// for batch in try batcher.finish() { write(batch) }
/// ```
///
/// File-level problems are thrown as ``CSVImportFailure``: the file is not a CSV (binary,
/// empty, unusable header), it has no email or phone column, or it has no data rows.
public struct CSVImportBatcher: Sendable {
    /// How many rows one batch holds (the last batch may hold fewer).
    public let batchSize: Int
    private var reader: CSVStreamReader
    private let defaultRegion: String
    private var columnMap: CSVColumnMap?
    private var pending = CSVImportBatch()

    /// Creates a batcher normalizing phones for `defaultRegion`.
    public init(defaultRegion: String, batchSize: Int = 2_000, limits: CSVLimits = .init()) {
        self.batchSize = max(1, batchSize)
        self.reader = CSVStreamReader(limits: limits)
        self.defaultRegion = defaultRegion
    }

    /// The header, once read.
    public var columns: [String]? { reader.header }
    /// The sniffed encoding, once known.
    public var encoding: CSVEncoding? { reader.encoding }
    /// The sniffed delimiter as text (`,` `;` `\t` `|`), once known.
    public var delimiter: String? { reader.delimiter.map { $0 == 0x09 ? "\\t" : String(UnicodeScalar($0)) } }

    /// File-level warnings and the first row problems, as user-facing sentences.
    public var warnings: [String] {
        var messages = reader.warnings.filter { $0.recordNumber == nil }.map(\.message) + (columnMap?.tiedColumnWarnings ?? [])
        if reader.omittedWarningCount > 0 { messages.append("\(reader.omittedWarningCount) more row warnings not listed") }
        return messages
    }

    /// Feeds the next chunk of the upload; returns the batches it filled.
    public mutating func consume(_ bytes: some Collection<UInt8>) throws(CSVImportFailure) -> [CSVImportBatch] {
        let records: [CSVRecord]
        do {
            records = try reader.consume(bytes)
        } catch {
            throw CSVImportFailure(reason: error.message)
        }
        return try add(records, isFinal: false)
    }

    /// Ends the upload; returns the last (possibly partial) batch.
    public mutating func finish() throws(CSVImportFailure) -> [CSVImportBatch] {
        let records: [CSVRecord]
        do {
            records = try reader.finish()
        } catch {
            throw CSVImportFailure(reason: error.message)
        }
        return try add(records, isFinal: true)
    }

    private mutating func add(_ records: [CSVRecord], isFinal: Bool) throws(CSVImportFailure) -> [CSVImportBatch] {
        if columnMap == nil, let header = reader.header {
            let map = CSVColumnMap(header: header)
            guard map.hasContactColumn else {
                throw CSVImportFailure(
                    reason: "no column holds an email address or a phone number, so no row can become a lead; "
                        + "the header has: \(header.prefix(30).joined(separator: ", "))"
                )
            }
            columnMap = map
        }
        var batches: [CSVImportBatch] = []
        if let columnMap {
            let records = records.filter { !$0.isBlank }
            let usable = records.filter { record in !record.issues.contains { $0.severity >= .rowError } }
            var prepared = LeadBatch(usable.lazy.map { columnMap.leadInput(for: $0, keepRaw: false) }, region: defaultRegion).items
                .makeIterator()
            for record in records {
                add(record, map: columnMap, prepared: &prepared)
                if pending.rows >= batchSize {
                    batches.append(pending)
                    pending = CSVImportBatch()
                }
            }
        }
        if isFinal {
            if pending.rows > 0 { batches.append(pending) }
            pending = CSVImportBatch()
        }
        processedRows += batches.reduce(0) { $0 + $1.rows }
        if isFinal, processedRows == 0 {
            throw CSVImportFailure(reason: "the file has a header row but no data rows")
        }
        return batches
    }

    private var processedRows = 0

    /// Adds one non-blank record; `prepared` yields the normalized form of each record without row errors, in order.
    private mutating func add(_ record: CSVRecord, map: CSVColumnMap, prepared: inout IndexingIterator<[PreparedLead]>) {
        pending.rows += 1
        let rowErrors = record.issues.filter { $0.severity >= .rowError }
        if !rowErrors.isEmpty {
            pending.errors.append(rejection(record, map: map, reason: rowErrors.map(\.message).joined(separator: "; ")))
            return
        }
        switch prepared.next() {
        case .valid(let lead)?:
            pending.leads.append(lead)
            pending.leadRows.append(record.recordNumber)
        case .invalid(let issues)?:
            let reason = issues.rowReason
            pending.errors.append(self.rejection(record, map: map, reason: reason))
        case nil:
            pending.errors.append(self.rejection(record, map: map, reason: "row: not normalized"))
        }
    }

    private func rejection(_ record: CSVRecord, map: CSVColumnMap, reason: String) -> ImportRowError {
        var fields: [String: String] = [:]
        for column in map.columns { fields[column.name] = record.value(at: column.index) }
        for extra in record.extraFields(headerCount: map.columns.count) { fields[extra.name] = extra.value }
        return ImportRowError(row: record.recordNumber, line: record.line, reason: reason, fields: fields)
    }
}

/// One batch of an import: the rows that became leads and the rows that did not.
public struct CSVImportBatch: Sendable {
    /// Normalized leads, in file order.
    public var leads: [NormalizedLead] = []
    /// The data row number of each lead in ``leads``.
    public var leadRows: [Int] = []
    /// Rejected rows with their reasons.
    public var errors: [ImportRowError] = []
    /// Non-blank data rows in this batch (leads + errors).
    public var rows = 0

    /// An empty batch.
    public init() {}
}

/// The file as a whole cannot be imported; `reason` says why in words a user can act on.
public struct CSVImportFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }

    /// Creates a failure.
    public init(reason: String) {
        self.reason = reason
    }
}
