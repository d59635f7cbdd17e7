/// One data row of a CSV file (the header is not a record).
public struct CSVRecord: Sendable, Hashable {
    /// The values, unquoted, in header order. A short row is padded with empty strings to the
    /// header's width; a long row keeps its extra values after the named ones (see
    /// ``CSVRecord/extraFieldName(_:)``). Values are not trimmed.
    public var fields: [String]
    /// 1-based data record number: 1 is the first row after the header. Blank lines are skipped
    /// and not counted.
    public var recordNumber: Int
    /// 1-based physical line where the record starts (the header is usually line 1). A record
    /// with a multi-line quoted field spans several lines; this is the first.
    public var line: Int
    /// Problems with this row: warnings (it was read, something was repaired) and row errors (it
    /// should go to the import's error report). Empty for a clean row.
    public var issues: [CSVIssue]

    /// Creates a record.
    public init(fields: [String], recordNumber: Int, line: Int, issues: [CSVIssue] = []) {
        self.fields = fields
        self.recordNumber = recordNumber
        self.line = line
        self.issues = issues
    }

    /// Whether any issue makes this row unusable (``CSVIssue/Severity/rowError``).
    public var hasErrors: Bool { issues.contains { $0.severity >= .rowError } }

    /// Whether every field is empty or whitespace, e.g. the `;;;;` rows spreadsheets append.
    /// Judged by scalars: a space followed by a combining accent is one whitespace-led
    /// `Character`, but the cell is not blank.
    public var isBlank: Bool {
        fields.allSatisfy(\.isCSVBlank)
    }

    /// The value at a 0-based position, or an empty string past the end.
    public func value(at index: Int) -> String {
        fields.indices.contains(index) ? fields[index] : ""
    }

    /// The values past the header's width (a ragged row), named `_extra_1`, `_extra_2`, ….
    public func extraFields(headerCount: Int) -> [(name: String, value: String)] {
        guard fields.count > headerCount else { return [] }
        return fields[headerCount...].enumerated().map { offset, value in
            (Self.extraFieldName(offset + 1), value)
        }
    }

    /// The name given to the `ordinal`-th (1-based) value beyond the header: `_extra_1`.
    public static func extraFieldName(_ ordinal: Int) -> String { "_extra_\(ordinal)" }
}
