/// Bounds that keep a CSV import's memory flat whatever the file contains.
///
/// With the defaults one record never holds more than about `maxRecordBytes + maxFieldBytes`
/// bytes, and the reader itself holds at most one input chunk plus that record.
public struct CSVLimits: Sendable, Hashable {
    /// Largest field, in UTF-8 bytes after unquoting. A larger field is dropped (empty string)
    /// and its record gets a ``CSVIssue/Kind/fieldTooLarge`` row error. Default 64 KiB.
    public var maxFieldBytes: Int
    /// Most fields in one record. Later fields are dropped and the record gets a
    /// ``CSVIssue/Kind/tooManyFields`` row error. Default 1,000.
    public var maxFieldsPerRecord: Int
    /// Largest record (sum of its fields), and the longest header line accepted. Values past the
    /// limit are dropped with a ``CSVIssue/Kind/recordTooLarge`` row error. Default 1 MiB.
    public var maxRecordBytes: Int
    /// How many warnings and row errors ``CSVStreamReader/warnings`` keeps; the rest are only
    /// counted in ``CSVStreamReader/omittedWarningCount``. Default 100.
    public var maxWarnings: Int
    /// How many leading bytes decide the encoding. Inside this window any control character other
    /// than tab, line feed, vertical tab, form feed and carriage return makes the file binary;
    /// after it only NUL does. Default 16 KiB.
    public var sniffBytes: Int

    /// Creates limits; each is raised to its smallest workable value (1, no warnings kept, 4 sniffed bytes).
    public init(
        maxFieldBytes: Int = 65_536,
        maxFieldsPerRecord: Int = 1_000,
        maxRecordBytes: Int = 1_048_576,
        maxWarnings: Int = 100,
        sniffBytes: Int = 16_384
    ) {
        self.maxFieldBytes = max(1, maxFieldBytes)
        self.maxFieldsPerRecord = max(1, maxFieldsPerRecord)
        self.maxRecordBytes = max(1, maxRecordBytes)
        self.maxWarnings = max(0, maxWarnings)
        self.sniffBytes = max(4, sniffBytes)
    }
}
