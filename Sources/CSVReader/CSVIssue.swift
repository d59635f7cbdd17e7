/// A problem found while reading a CSV file, with a message a user can act on.
///
/// Three severities exist:
/// - ``Severity/fatal``: the file cannot be read (empty, binary, unusable header). Thrown by
///   ``CSVStreamReader/consume(_:)`` or ``CSVStreamReader/finish()``; no further records follow.
/// - ``Severity/rowError``: this one record is unusable (unterminated quote, oversize field…).
///   Delivered in ``CSVRecord/issues``; the caller reports the row and goes on.
/// - ``Severity/warning``: the record was read but something was repaired or guessed (ragged row,
///   Windows-1252 fallback, renamed header). Delivered with the record or in
///   ``CSVStreamReader/warnings``.
public struct CSVIssue: Sendable, Error, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The input has no bytes, or only a byte-order mark and blank lines. Fatal.
        case emptyFile
        /// NUL bytes or control characters: the input is not a text file. Fatal.
        case binaryContent
        /// The header row is longer than ``CSVLimits/maxRecordBytes``. Fatal.
        case headerTooLarge
        /// A quoted field is never closed before the end of the file.
        case unterminatedQuote
        /// A field is larger than ``CSVLimits/maxFieldBytes``; its value was dropped.
        case fieldTooLarge
        /// A record has more than ``CSVLimits/maxFieldsPerRecord`` fields; the rest were dropped.
        case tooManyFields
        /// A record is larger than ``CSVLimits/maxRecordBytes``; later values were dropped.
        case recordTooLarge
        /// A record has fewer fields than the header; the missing ones are empty strings.
        case missingFields
        /// A record has more fields than the header; the extra values are kept after the named ones.
        case extraFields
        /// Text follows the closing quote of a quoted field; it was kept as part of the value.
        case textAfterQuote
        /// Bytes were decoded as Windows-1252 (or replaced by U+FFFD) because they were not valid
        /// in the detected encoding.
        case encodingFallback
        /// Two header cells have the same name; the later one was renamed (`email_2`).
        case duplicateHeader
        /// A header cell is empty; it was named after its position (`column_3`).
        case blankHeader
    }

    /// How bad an issue is; see the type's documentation.
    public enum Severity: String, Sendable, Hashable, Comparable {
        /// The record or file was read; something was repaired or guessed.
        case warning
        /// This record is unusable; the rest of the file is fine.
        case rowError
        /// The file cannot be read.
        case fatal

        /// Orders by badness: warning < rowError < fatal.
        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            lhs.rank < rhs.rank
        }

        private var rank: Int {
            switch self {
            case .warning: 0
            case .rowError: 1
            case .fatal: 2
            }
        }
    }

    /// 1-based physical line where the record (or the problem) starts; the header is usually line 1.
    /// `nil` for problems that belong to the whole file.
    public var line: Int?
    /// 1-based data record number (1 = first row after the header); `nil` for the header and
    /// file-level problems.
    public var recordNumber: Int?
    /// 1-based field position the problem concerns, when there is one.
    public var column: Int?
    /// What went wrong.
    public var kind: Kind
    /// Whether the file, the row, or nothing had to be given up.
    public var severity: Severity
    /// A complete, user-facing sentence, including the location.
    public var message: String

    /// Creates an issue; `message` should already name the location.
    public init(
        kind: Kind,
        severity: Severity,
        message: String,
        line: Int? = nil,
        recordNumber: Int? = nil,
        column: Int? = nil
    ) {
        self.kind = kind
        self.severity = severity
        self.message = message
        self.line = line
        self.recordNumber = recordNumber
        self.column = column
    }

    /// The user-facing message.
    public var description: String { message }
}
