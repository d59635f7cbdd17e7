import CSVReader

/// How the columns of one CSV header feed a lead: which columns hold which ``LeadField``, which
/// are extras, and which values carry Meta's prefixes. Build it once per file from
/// ``CSVStreamReader/header`` and turn each record into a ``LeadInput``.
public struct CSVColumnMap: Sendable, Hashable {
    /// One column of the header.
    public struct Column: Sendable, Hashable {
        /// 0-based position in the record.
        public var index: Int
        /// The (unique) header name; extras are stored under it.
        public var name: String
        /// The lead field it names, or `nil` for an extra column.
        public var field: LeadField?
        /// How well its header names ``field`` (`nil` for an extra column).
        public var rank: CSVHeaderRank?
        /// The Meta prefix its values may carry.
        public var metaPrefix: CSVMetaPrefix?
    }

    /// Every header column, in order.
    public let columns: [Column]
    /// Whether the header looks like a Meta Lead Ads export (then `id` is the external id).
    public let isMetaExport: Bool
    /// The column holding the source's creation time, if any (its value is kept in `extra`).
    public let createdTimeIndex: Int?
    /// Columns naming each field, best first: by ``CSVHeaderRank``, then in file order.
    let fieldColumns: [LeadField: [Int]]

    /// Maps a header row (see ``CSVHeaderMapping``).
    public init(header: [String]) {
        let isMeta = CSVHeaderMapping.isMetaExport(header: header)
        var fieldColumns: [LeadField: [Int]] = [:]
        var columns: [Column] = []
        for (index, name) in header.enumerated() {
            let match = CSVHeaderMapping.match(name, isMetaExport: isMeta)
            if let match { fieldColumns[match.field, default: []].append(index) }
            columns.append(Column(index: index, name: name, field: match?.field, rank: match?.rank, metaPrefix: CSVMetaPrefix.forColumn(name)))
        }
        for (field, indices) in fieldColumns {
            // A stable sort: equal ranks keep file order.
            fieldColumns[field] = indices.enumerated().sorted {
                (columns[$0.element].rank ?? .secondary, $0.offset) < (columns[$1.element].rank ?? .secondary, $1.offset)
            }.map(\.element)
        }
        self.columns = columns
        self.isMetaExport = isMeta
        self.createdTimeIndex = header.firstIndex(where: CSVHeaderMapping.isCreatedTime)
        self.fieldColumns = fieldColumns
    }

    /// The lead fields some column names.
    public var mappedFields: Set<LeadField> { Set(fieldColumns.keys) }

    /// Whether an email or phone column exists; without one no row can become a reachable lead,
    /// so the importer can reject the file before reading it all.
    public var hasContactColumn: Bool { fieldColumns[.email] != nil || fieldColumns[.phone] != nil }

    /// The column `field` is read from first: the best-named, leftmost among equals.
    public func index(of field: LeadField) -> Int? { fieldColumns[field]?.first }

    /// The cleaned value of `field` in `record`: the first non-empty one among the columns naming
    /// it, best-named first (as ``leadInput(for:keepRaw:)`` picks), `""` when they are all blank,
    /// `nil` when no column names it.
    public func value(_ field: LeadField, in record: CSVRecord) -> String? {
        guard let indices = fieldColumns[field] else { return nil }
        for index in indices {
            let value = cleanedValue(at: index, in: record)
            if !value.isEmpty { return value }
        }
        return ""
    }

    /// The record as a ``LeadInput``, following the same rules as
    /// ``LeadInput/init(object:fieldMap:keepRaw:)``: a field takes the first non-empty value of
    /// the columns naming it, best-named first (``CSVHeaderRank``), and the other non-empty ones
    /// go to `extra` under their header names; other non-blank values go to `extra` under their
    /// header names, a ragged row's surplus as `_extra_1`, `_extra_2`, …. Values are trimmed and
    /// Meta prefixes removed; `raw` (when `keepRaw`) holds every cell exactly as read.
    public func leadInput(for record: CSVRecord, keepRaw: Bool = true) -> LeadInput {
        var input = LeadInput()
        var taken: [Int] = []
        taken.reserveCapacity(fieldColumns.count)
        for (field, indices) in fieldColumns {
            for index in indices {
                let value = cleanedValue(at: index, in: record)
                guard !value.isEmpty else { continue }
                input.fields[field] = value
                taken.append(index)
                break
            }
        }
        for column in columns where !taken.contains(column.index) {
            let value = cleanedValue(at: column.index, in: record)
            if !value.isEmpty { input.extra[column.name] = .string(value) }
        }
        let surplus = record.extraFields(headerCount: columns.count)
        for extra in surplus {
            let value = extra.value.csvTrimmed
            if !value.isEmpty { input.extra[extra.name] = .string(value) }
        }
        if keepRaw {
            var raw: [String: JSONValue] = [:]
            for column in columns { raw[column.name] = .string(record.value(at: column.index)) }
            for extra in surplus { raw[extra.name] = .string(extra.value) }
            input.raw = .object(raw)
        }
        return input
    }

    /// The value at `index` trimmed, with the column's Meta prefix removed when plausible.
    public func cleanedValue(at index: Int, in record: CSVRecord) -> String {
        let value = record.value(at: index).csvTrimmed
        guard columns.indices.contains(index), let prefix = columns[index].metaPrefix else { return value }
        return prefix.strip(from: value)
    }
}
