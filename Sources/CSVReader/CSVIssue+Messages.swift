/// The wording of every issue the reader produces, kept in one place so messages stay consistent.
extension CSVIssue {
    /// "line 3 (record 2)", "line 1 (header)" or "line 5".
    static func location(line: Int?, recordNumber: Int?, isHeader: Bool = false) -> String {
        guard let line else { return "file" }
        if isHeader { return "line \(line) (header)" }
        if let recordNumber { return "line \(line) (record \(recordNumber))" }
        return "line \(line)"
    }

    /// Fatal: nothing but (optionally) a BOM and blank lines.
    static func emptyFile(onlyBlankLines: Bool) -> CSVIssue {
        CSVIssue(
            kind: .emptyFile,
            severity: .fatal,
            message: onlyBlankLines ? "file is empty: it contains only blank lines" : "file is empty"
        )
    }

    /// Fatal: a byte that text never contains, at a 0-based offset into the raw input.
    static func binaryContent(at offset: Int, byte: UInt8) -> CSVIssue {
        let hex = String(byte, radix: 16, uppercase: true)
        let code = "0x" + (hex.count < 2 ? "0" + hex : hex)
        return CSVIssue(
            kind: .binaryContent,
            severity: .fatal,
            message: "file is not text: binary content at byte \(offset) (\(code))"
        )
    }

    /// Fatal: no header line end within `limit` bytes.
    static func headerTooLarge(limit: Int) -> CSVIssue {
        CSVIssue(
            kind: .headerTooLarge,
            severity: .fatal,
            message: "the header row is longer than \(byteCount(limit)); this does not look like a CSV file",
            line: 1
        )
    }

    /// Warning: the whole file was read as Windows-1252.
    static func encodingFallbackForFile() -> CSVIssue {
        CSVIssue(
            kind: .encodingFallback,
            severity: .warning,
            message: "file is not valid UTF-8; it was read as Windows-1252 (Western European). "
                + "Check that accented letters look right, or export the file as UTF-8."
        )
    }

    /// Warning: bytes in this record were repaired (Windows-1252 or U+FFFD).
    static func encodingFallback(line: Int, recordNumber: Int?, encoding: CSVEncoding) -> CSVIssue {
        let what =
            encoding.isUTF16
            ? "contains invalid UTF-16 that was replaced by \u{FFFD}"
            : "contains bytes that are not valid UTF-8; they were read as Windows-1252"
        return CSVIssue(
            kind: .encodingFallback,
            severity: .warning,
            message: "\(location(line: line, recordNumber: recordNumber, isHeader: recordNumber == nil)) \(what)",
            line: line,
            recordNumber: recordNumber
        )
    }

    /// Row error (fatal in the header): a quoted field still open at the end of the input.
    static func unterminatedQuote(line: Int, recordNumber: Int?, column: Int, quoteLine: Int) -> CSVIssue {
        let opened = quoteLine == line ? "" : " on line \(quoteLine)"
        return CSVIssue(
            kind: .unterminatedQuote,
            severity: severity(recordNumber),
            message: "\(location(line: line, recordNumber: recordNumber, isHeader: recordNumber == nil)): "
                + "the quote that opens field \(column)\(opened) is never closed, so everything up to "
                + "the end of the file was read into this field; add the missing closing quote",
            line: line,
            recordNumber: recordNumber,
            column: column
        )
    }

    /// Row error (fatal in the header): a field over ``CSVLimits/maxFieldBytes``.
    static func fieldTooLarge(line: Int, recordNumber: Int?, column: Int, limit: Int) -> CSVIssue {
        CSVIssue(
            kind: .fieldTooLarge,
            severity: severity(recordNumber),
            message: "\(location(line: line, recordNumber: recordNumber, isHeader: recordNumber == nil)): "
                + "field \(column) is larger than \(byteCount(limit)) and was dropped "
                + "(often a quote that is never closed)",
            line: line,
            recordNumber: recordNumber,
            column: column
        )
    }

    /// Row error (fatal in the header): more than ``CSVLimits/maxFieldsPerRecord`` fields.
    static func tooManyFields(line: Int, recordNumber: Int?, count: Int, limit: Int) -> CSVIssue {
        CSVIssue(
            kind: .tooManyFields,
            severity: severity(recordNumber),
            message: "\(location(line: line, recordNumber: recordNumber, isHeader: recordNumber == nil)): "
                + "\(count) fields, more than the limit of \(limit); fields after \(limit) were dropped",
            line: line,
            recordNumber: recordNumber,
            column: limit + 1
        )
    }

    /// Row error (fatal in the header): more than ``CSVLimits/maxRecordBytes`` in one record.
    static func recordTooLarge(line: Int, recordNumber: Int?, column: Int, limit: Int) -> CSVIssue {
        CSVIssue(
            kind: .recordTooLarge,
            severity: severity(recordNumber),
            message: "\(location(line: line, recordNumber: recordNumber, isHeader: recordNumber == nil)): "
                + "the row is larger than \(byteCount(limit)); values from field \(column) on were dropped",
            line: line,
            recordNumber: recordNumber,
            column: column
        )
    }

    /// Warning: characters between a closing quote and the next delimiter.
    static func textAfterQuote(line: Int, recordNumber: Int?, column: Int) -> CSVIssue {
        CSVIssue(
            kind: .textAfterQuote,
            severity: .warning,
            message: "\(location(line: line, recordNumber: recordNumber, isHeader: recordNumber == nil)): "
                + "field \(column) has text after its closing quote; it was kept as part of the value "
                + "(quotes inside a quoted field must be doubled: \"\")",
            line: line,
            recordNumber: recordNumber,
            column: column
        )
    }

    /// Warning: fewer fields than the header; the record was padded.
    static func missingFields(line: Int, recordNumber: Int, expected: Int, found: Int) -> CSVIssue {
        CSVIssue(
            kind: .missingFields,
            severity: .warning,
            message: "\(location(line: line, recordNumber: recordNumber)): expected \(expected) fields "
                + "but found \(found); "
                + (expected - found == 1 ? "the missing field was" : "the \(expected - found) missing fields were")
                + " left empty",
            line: line,
            recordNumber: recordNumber,
            column: found + 1
        )
    }

    /// Warning: more fields than the header; the extras were kept.
    static func extraFields(line: Int, recordNumber: Int, expected: Int, found: Int) -> CSVIssue {
        let extra = found - expected
        let names =
            extra == 1
            ? CSVRecord.extraFieldName(1)
            : "\(CSVRecord.extraFieldName(1))…\(CSVRecord.extraFieldName(extra))"
        return CSVIssue(
            kind: .extraFields,
            severity: .warning,
            message: "\(location(line: line, recordNumber: recordNumber)): expected \(expected) fields "
                + "but found \(found); "
                + (extra == 1 ? "the extra value was" : "the \(extra) extra values were") + " kept as \(names)",
            line: line,
            recordNumber: recordNumber,
            column: expected + 1
        )
    }

    /// Warning: a header name repeated; the later column was renamed.
    static func duplicateHeader(line: Int, column: Int, firstColumn: Int, name: String, renamed: String) -> CSVIssue {
        CSVIssue(
            kind: .duplicateHeader,
            severity: .warning,
            message: "\(location(line: line, recordNumber: nil, isHeader: true)): column \(column) has the same "
                + "name as column \(firstColumn) (\"\(name)\"); it was renamed to \"\(renamed)\"",
            line: line,
            column: column
        )
    }

    /// Warning: an empty header cell was named after its position.
    static func blankHeader(line: Int, column: Int, renamed: String) -> CSVIssue {
        CSVIssue(
            kind: .blankHeader,
            severity: .warning,
            message: "\(location(line: line, recordNumber: nil, isHeader: true)): column \(column) has no name; "
                + "it was named \"\(renamed)\"",
            line: line,
            column: column
        )
    }

    /// A row problem is fatal when it hits the header (`recordNumber == nil`): without a usable
    /// header no row can be mapped.
    private static func severity(_ recordNumber: Int?) -> Severity {
        recordNumber == nil ? .fatal : .rowError
    }

    private static func byteCount(_ bytes: Int) -> String {
        if bytes >= 1_048_576, bytes % 1_048_576 == 0 { return "\(bytes / 1_048_576) MB" }
        if bytes >= 1_024, bytes % 1_024 == 0 { return "\(bytes / 1_024) KB" }
        return "\(bytes) bytes"
    }
}
