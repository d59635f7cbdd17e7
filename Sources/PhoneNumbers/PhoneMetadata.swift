/// One row of libphonenumber's metadata, trimmed to what `PhoneNumberNormalizer` needs.
///
/// The rows live in the generated `PhoneMetadata+Table.swift`; regenerate that file with
/// `scripts/gen_phone_metadata.py` rather than editing it. Patterns use libphonenumber's
/// regular-expression subset and are compiled lazily by `PhonePatternCache`.
struct PhoneMetadata: Sendable {
    /// ISO 3166-1 alpha-2 region code, or "001" for a non-geographic calling code such as +800.
    let id: String
    /// Country calling code, e.g. 1 for the NANPA regions or 44 for GB.
    let countryCode: Int
    /// Whether this row is the "main" region for its calling code (US for +1, GB for +44, and
    /// the single "001" row of a non-geographic code). Only main rows are used after a calling
    /// code has been read from the number itself, exactly like libphonenumber.
    let isMainRegion: Bool
    /// International (IDD) prefix pattern, e.g. "011" or "00(?:1\d)?"; `nil` if none.
    let internationalPrefix: String?
    /// National (trunk) prefix, e.g. "0". Informational: parsing uses `nationalPrefixForParsing`.
    let nationalPrefix: String?
    /// Pattern matched at the start of a national number to strip the national prefix (and a
    /// carrier code); `nil` if the region has none.
    let nationalPrefixForParsing: String?
    /// Replacement applied instead of plain stripping when the last capturing group of
    /// `nationalPrefixForParsing` matched, in Python's `\1` template syntax (e.g. "9\1" for AR).
    let nationalPrefixTransformRule: String?
    /// Pattern every national significant number of the region matches (general description).
    let generalPattern: String
    /// Bit `n` is set when a national significant number of length `n` is possible.
    let possibleLengths: UInt32
    /// Bit `n` is set when length `n` is possible only for local dialling (no area code).
    let localOnlyLengths: UInt32
}

extension PhoneMetadata {
    /// The largest country calling code libphonenumber knows is three digits long.
    static let maxCountryCode = 999

    /// Row index in `table` of each geographic region, keyed by upper-case region code.
    static let rowByRegion: [String: Int] = {
        var rows: [String: Int] = [:]
        for (row, metadata) in table.enumerated() where metadata.id != nonGeographicRegionID {
            rows[metadata.id] = row
        }
        return rows
    }()

    /// Row index in `table` of the main region for each country calling code (`-1` = unknown),
    /// indexed by the calling code itself.
    static let mainRowByCountryCode: [Int16] = {
        var rows = [Int16](repeating: -1, count: maxCountryCode + 1)
        for (row, metadata) in table.enumerated() where metadata.isMainRegion {
            rows[metadata.countryCode] = Int16(row)
        }
        return rows
    }()

    /// Region id libphonenumber uses for non-geographic entities ("the world", UN M.49 code 001).
    static let nonGeographicRegionID = "001"

    /// The row for a (case-sensitive, upper-case) geographic region code, if known.
    static func row(forRegion code: String) -> Int? {
        rowByRegion[code]
    }

    /// The row of the main region for a country calling code, if the code is assigned.
    static func mainRow(forCountryCode code: Int) -> Int? {
        guard code > 0, code <= maxCountryCode else { return nil }
        let row = mainRowByCountryCode[code]
        return row >= 0 ? Int(row) : nil
    }
}
