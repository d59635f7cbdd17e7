/// Turns user-typed phone numbers into E.164, agreeing with Google's libphonenumber
/// (`parse()`, then `format(E164)` when `is_possible_number()` holds).
///
/// Everything libphonenumber's parser accepts is accepted: punctuation, "tel:" / "p:" and other
/// leading text, "+" or the default region's international prefix ("00", "011", …), the default
/// region's calling code written without "+", national prefixes ("0", "1", …), vanity letters
/// ("1-800-FLOWERS"), full-width and other Unicode digits, and extensions ("ext. 12", which are
/// dropped). A number is rejected when libphonenumber's `parse()` throws, or when its length is
/// impossible for its numbering plan (lengths that are possible only for local dialling, without
/// an area code, are accepted, as `is_possible_number` does). It does *not* check that the
/// number is assigned (`is_valid_number`).
///
/// Metadata for every region and non-geographic calling code comes from the generated
/// `PhoneMetadata+Table.swift`. The value is stateless and cheap to copy; compiled patterns are
/// shared process-wide, so any number of threads may call `normalize` concurrently.
public struct PhoneNumberNormalizer: Sendable {
    /// Creates a normalizer.
    public init() {}

    /// Normalizes one user-typed phone number.
    ///
    /// - Parameters:
    ///   - raw: The number as typed, surrounding whitespace and text included.
    ///   - defaultRegion: ISO 3166-1 alpha-2 region (case-insensitive, e.g. "US") used for
    ///     numbers written without a calling code. If it is unknown, only numbers starting with
    ///     "+" can be normalized.
    /// - Returns: `.e164` with the E.164 string, or `.invalid` with a human-readable reason.
    public func normalize(_ raw: String, defaultRegion: String) -> PhoneNormalization {
        let regionCode = defaultRegion.uppercased()
        do {
            let number = try PhoneNumberParser.parse(raw, regionCode: regionCode)
            guard let mainRow = PhoneMetadata.mainRow(forCountryCode: number.countryCode) else {
                return .invalid(reason: PhoneParseError.invalidCountryCode.reason)
            }
            let verdict = PhoneLengthVerdict(length: number.nationalNumber.count, metadata: PhoneMetadata.table[mainRow])
            guard verdict.isPossible else {
                let plan = Self.planName(countryCode: number.countryCode, mainRow: mainRow, regionCode: regionCode)
                return .invalid(reason: PhoneParseError.impossibleLength(verdict, plan: plan).reason)
            }
            return .e164(number.e164)
        } catch {
            return .invalid(reason: error.reason)
        }
    }

    /// Whether `code` is a region libphonenumber has metadata for (ISO 3166-1 alpha-2,
    /// case-insensitive), i.e. one that can be used as `defaultRegion`. Useful to validate a
    /// tenant's configured region. Non-geographic codes ("001") and "ZZ" are not regions.
    public static func isKnownRegion(_ code: String) -> Bool {
        PhoneMetadata.row(forRegion: code.uppercased()) != nil
    }

    /// Every region accepted by `isKnownRegion`, upper-case and sorted.
    public static var knownRegions: [String] {
        PhoneMetadata.rowByRegion.keys.sorted()
    }

    /// The libphonenumber release the metadata was generated from (e.g. "9.0.43").
    public static var metadataVersion: String {
        PhoneMetadata.sourceVersion
    }

    /// Name of the numbering plan whose lengths were checked, for error messages: the default
    /// region when it shares the calling code, else the code's main region, or "+800"-style
    /// for non-geographic codes.
    private static func planName(countryCode: Int, mainRow: Int, regionCode: String) -> String {
        if let regionRow = PhoneMetadata.row(forRegion: regionCode),
            PhoneMetadata.table[regionRow].countryCode == countryCode
        {
            return regionCode
        }
        let main = PhoneMetadata.table[mainRow]
        return main.id == PhoneMetadata.nonGeographicRegionID ? "+\(countryCode)" : main.id
    }
}
