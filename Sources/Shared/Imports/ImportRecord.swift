import Foundation

/// One CSV import as the API and the dashboard show it: its progress while the file is still
/// arriving, then its result.
public struct ImportRecord: Sendable, Hashable, Codable {
    /// Where an import stands.
    public enum Status: String, Sendable, Hashable, Codable {
        /// The file is still arriving; the counters grow batch by batch.
        case receiving
        /// The whole file was read; every row is either a lead or in the error report.
        case completed
        /// The file could not be read (or the upload broke off); ``ImportRecord/failureReason`` says why.
        case failed
    }

    public var id: UUID
    public var tenantId: UUID
    public var sourceId: UUID
    public var status: Status
    public var filename: String?
    /// `utf-8`, `utf-8-bom`, `utf-16le`, `windows-1252`…, once sniffed.
    public var encoding: String?
    /// The sniffed delimiter, as text (`,` `;` `\t` `|`).
    public var delimiter: String?
    public var bytesReceived: Int64
    /// Data rows read so far (blank rows are not counted).
    public var rowsTotal: Int
    public var accepted: Int
    public var duplicates: Int
    public var rejected: Int
    public var failureReason: String?
    /// File-level warnings (encoding fallback, renamed headers…), at most 100.
    public var warnings: [String]
    /// The header, in file order.
    public var columns: [String]
    /// The first rejected rows, when asked for.
    public var errors: [ImportRowError]?
    public var createdAt: Date
    public var finishedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, status, filename, encoding, delimiter, accepted, duplicates, rejected, warnings, columns, errors
        case tenantId = "tenant_id"
        case sourceId = "source_id"
        case bytesReceived = "bytes_received"
        case rowsTotal = "rows_total"
        case failureReason = "failure_reason"
        case createdAt = "created_at"
        case finishedAt = "finished_at"
    }

    /// Keys of what is derived rather than stored.
    private enum ReportKeys: String, CodingKey {
        case fieldColumns = "field_columns"
    }

    /// Encodes ids in lower case, as every LeadRelay API answer does, and ``fieldColumns``.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.uuidString.lowercased(), forKey: .id)
        try container.encode(tenantId.uuidString.lowercased(), forKey: .tenantId)
        try container.encode(sourceId.uuidString.lowercased(), forKey: .sourceId)
        try container.encode(status, forKey: .status)
        try container.encode(filename, forKey: .filename)
        try container.encode(encoding, forKey: .encoding)
        try container.encode(delimiter, forKey: .delimiter)
        try container.encode(bytesReceived, forKey: .bytesReceived)
        try container.encode(rowsTotal, forKey: .rowsTotal)
        try container.encode(accepted, forKey: .accepted)
        try container.encode(duplicates, forKey: .duplicates)
        try container.encode(rejected, forKey: .rejected)
        try container.encode(failureReason, forKey: .failureReason)
        try container.encode(warnings, forKey: .warnings)
        try container.encode(columns, forKey: .columns)
        var report = encoder.container(keyedBy: ReportKeys.self)
        try report.encode(fieldColumns, forKey: .fieldColumns)
        try container.encodeIfPresent(errors, forKey: .errors)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(finishedAt, forKey: .finishedAt)
    }
}

/// One row of an import that did not become a lead, and why.
public struct ImportRowError: Sendable, Hashable, Codable {
    /// 1-based data row number (1 = the first row after the header).
    public var row: Int
    /// 1-based physical line where the row starts in the file.
    public var line: Int?
    /// What is wrong, in words a user can act on.
    public var reason: String
    /// The row's cells by column name, as read.
    public var fields: [String: String]

    /// Creates a row error.
    public init(row: Int, line: Int?, reason: String, fields: [String: String]) {
        self.row = row
        self.line = line
        self.reason = reason
        self.fields = fields
    }
}
