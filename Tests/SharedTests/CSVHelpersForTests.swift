import CSVReader
import Foundation
import Shared
import TestSupport
import Testing

/// Everything a reader produced for one input, comparable across chunkings.
struct CSVParseOutcome: Equatable {
    var header: [String]?
    var delimiter: UInt8?
    var encoding: CSVEncoding?
    var records: [CSVRecord] = []
    var warnings: [CSVIssue] = []
    var omittedWarningCount = 0
    /// The thrown (fatal) issue, if any.
    var failure: CSVIssue?

    /// Record fields only.
    var rows: [[String]] { records.map(\.fields) }
}

enum CSVTestSupport {
    /// `fixtures/csv` of the shared checkout: `<package root>/../shared/fixtures/csv`.
    static let fixturesDirectory: URL = TestEnvironment.fixtures.appendingPathComponent("csv")

    /// Every fixture file, relative to `fixtures/csv` (e.g. `malformed/latin1.csv`).
    static let fixtureNames = [
        "excel_semicolon_bom.csv",
        "facebook_lead_ads_export.csv",
        "facebook_lead_ads_export_utf16.tsv",
        "roofing_historical_leads.csv",
        "malformed/binary.csv",
        "malformed/empty.csv",
        "malformed/formula_injection.csv",
        "malformed/header_only.csv",
        "malformed/latin1.csv",
        "malformed/no_contact_columns.csv",
        "malformed/ragged_rows.csv",
        "malformed/unterminated_quote.csv",
    ]

    static func fixture(_ name: String) throws -> [UInt8] {
        let url = fixturesDirectory.appendingPathComponent(name)
        return try Array(Data(contentsOf: url))
    }

    /// Reads `bytes` fed in chunks of `chunkSize` (all at once when `nil`).
    static func read(_ bytes: [UInt8], chunkSize: Int? = nil, limits: CSVLimits = .init()) -> CSVParseOutcome {
        read(chunks: split(bytes, chunkSize: chunkSize ?? max(bytes.count, 1)), limits: limits)
    }

    /// Reads the given chunks in order, then finishes.
    static func read(chunks: [ArraySlice<UInt8>], limits: CSVLimits = .init()) -> CSVParseOutcome {
        var reader = CSVStreamReader(limits: limits)
        var outcome = CSVParseOutcome()
        do throws(CSVIssue) {
            for chunk in chunks { outcome.records += try reader.consume(chunk) }
            outcome.records += try reader.finish()
        } catch {
            outcome.failure = error
        }
        outcome.header = reader.header
        outcome.delimiter = reader.delimiter
        outcome.encoding = reader.encoding
        outcome.warnings = reader.warnings
        outcome.omittedWarningCount = reader.omittedWarningCount
        return outcome
    }

    static func read(_ text: String, chunkSize: Int? = nil, limits: CSVLimits = .init()) -> CSVParseOutcome {
        read(Array(text.utf8), chunkSize: chunkSize, limits: limits)
    }

    static func split(_ bytes: [UInt8], chunkSize: Int) -> [ArraySlice<UInt8>] {
        stride(from: 0, to: bytes.count, by: chunkSize).map { bytes[$0..<min($0 + chunkSize, bytes.count)] }
    }

    /// UTF-16 bytes of `text`, with a byte-order mark unless `bom` is false.
    static func utf16(_ text: String, bigEndian: Bool, bom: Bool = true) -> [UInt8] {
        var bytes: [UInt8] = bom ? (bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]) : []
        for unit in text.utf16 {
            let high = UInt8(unit >> 8)
            let low = UInt8(unit & 0xFF)
            bytes += bigEndian ? [high, low] : [low, high]
        }
        return bytes
    }
}
