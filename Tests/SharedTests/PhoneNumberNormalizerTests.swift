import Foundation
import PhoneNumbers
import Shared
import Testing

/// One data row of `shared/fixtures/phones.tsv`: input, default region, expected E.164 (or
/// `INVALID`) and libphonenumber's `is_valid_number` verdict.
struct PhoneFixtureRow: Sendable, CustomTestStringConvertible {
    /// 1-based line number in the file.
    let line: Int
    /// Raw input, surrounding spaces included.
    let input: String
    /// Default region passed to the normalizer.
    let region: String
    /// Expected E.164 string, or "INVALID".
    let expected: String
    /// libphonenumber's validity verdict ("valid" / "not-valid"); informational.
    let validity: String

    /// How Swift Testing names this row in its output.
    var testDescription: String {
        "line \(line): \(input.debugDescription) [\(region)] -> \(expected)"
    }
}

/// Loads the shared phone fixture once.
///
/// Location: `$PHONES_TSV` if set, otherwise `../shared/fixtures/phones.tsv` relative to the
/// package root (the nearest ancestor of this file that contains `Package.swift`).
enum PhoneFixture {
    /// Path the fixture is read from.
    static let path: String = {
        if let override = ProcessInfo.processInfo.environment["PHONES_TSV"], !override.isEmpty {
            return override
        }
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                return directory.deletingLastPathComponent()
                    .appendingPathComponent("shared/fixtures/phones.tsv").path
            }
            directory = directory.deletingLastPathComponent()
        }
        return "shared/fixtures/phones.tsv"
    }()

    /// Parsed rows plus any problem found while reading.
    static let loaded: (rows: [PhoneFixtureRow], problems: [String]) = {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            return ([], ["cannot read \(path): \(error)"])
        }
        var rows: [PhoneFixtureRow] = []
        var problems: [String] = []
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        for (offset, line) in lines.enumerated() where !line.isEmpty && !line.hasPrefix("#") {
            // Split on tabs only: leading and trailing spaces belong to the input.
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 4 else {
                problems.append("line \(offset + 1): expected 4 tab-separated fields, got \(fields.count)")
                continue
            }
            rows.append(PhoneFixtureRow(line: offset + 1, input: fields[0], region: fields[1], expected: fields[2], validity: fields[3]))
        }
        return (rows, problems)
    }()

    /// All data rows.
    static var rows: [PhoneFixtureRow] { loaded.rows }
}

/// Renders a result the way the fixture spells it.
private func fixtureSpelling(_ result: PhoneNormalization) -> String {
    switch result {
    case .e164(let value): return value
    case .invalid: return "INVALID"
    }
}

/// Checks `PhoneNumberNormalizer` against libphonenumber's answers.
@Suite("PhoneNumberNormalizer")
struct PhoneNumberNormalizerTests {
    /// The normalizer under test.
    let normalizer = PhoneNumberNormalizer()

    /// The fixture must be found and parse cleanly, so the table-driven test cannot pass vacuously.
    @Test("fixture file is present and well-formed")
    func fixtureLoads() {
        #expect(PhoneFixture.loaded.problems.isEmpty, "\(PhoneFixture.loaded.problems)")
        #expect(!PhoneFixture.rows.isEmpty, "no rows read from \(PhoneFixture.path)")
    }

    /// Every row of phones.tsv: the E.164 string, or INVALID.
    @Test("agrees with libphonenumber on every fixture row", arguments: PhoneFixture.rows)
    func fixtureRow(_ row: PhoneFixtureRow) {
        let actual = normalizer.normalize(row.input, defaultRegion: row.region)
        #expect(
            fixtureSpelling(actual) == row.expected,
            "line \(row.line): input=\(row.input.debugDescription) region=\(row.region) expected=\(row.expected) actual=\(actual)"
        )
    }

    /// Normalizing an E.164 result again (for numbers libphonenumber calls valid) is a no-op.
    @Test(
        "re-normalizing a valid number's E.164 form yields itself",
        arguments: PhoneFixture.rows.filter { $0.validity == "valid" && $0.expected != "INVALID" }
    )
    func idempotent(_ row: PhoneFixtureRow) {
        let again = normalizer.normalize(row.expected, defaultRegion: row.region)
        #expect(again == .e164(row.expected), "line \(row.line): \(row.expected) [\(row.region)] -> \(again)")
        // The region must not matter once the number carries its calling code.
        #expect(normalizer.normalize(row.expected, defaultRegion: "ZZ") == .e164(row.expected))
    }

    /// Documents a libphonenumber quirk the port reproduces on purpose.
    @Test("like libphonenumber, impossible-looking numbers are not always idempotent")
    func allZeroNumberIsNotIdempotent() {
        // libphonenumber strips the national prefix "0" once more on the second pass.
        #expect(normalizer.normalize("0000000000", defaultRegion: "NZ") == .e164("+64000000000"))
        #expect(normalizer.normalize("+64000000000", defaultRegion: "NZ") == .e164("+6400000000"))
    }

    /// Extra cases; expected values are what phonenumbers 9.0.43 (libphonenumber's Python port)
    /// returns for `format(parse(input, region), E164)` when `is_possible_number` holds.
    static let libphonenumberCases: [(input: String, region: String, expected: String?)] = [
        // Extensions are parsed off and dropped from E.164.
        ("201-555-0291 ext. 12", "US", "+12015550291"),
        ("(201) 555-0291 x12", "US", "+12015550291"),
        ("+1 201 555 0291;ext=12", "US", "+12015550291"),
        ("201-555-0291 - 503#", "US", "+12015550291"),
        ("2015550291,,12", "US", "+12015550291"),
        ("(201) 555-0291 / x 12", "US", "+12015550291"),
        // Unicode digits: full-width, Arabic-Indic, Devanagari; full-width plus.
        ("２０１５５５０２９１", "US", "+12015550291"),
        ("＋４４ ７４００ １２３５６５", "GB", "+447400123565"),
        ("٠٤١٢٣٤٥٦٧٨", "AU", "+61412345678"),
        ("०८१२३४५६४२८", "IN", "+918123456428"),
        // Vanity numbers.
        ("1-800-FLOWERS", "US", "+18003569377"),
        ("555-CALL-NOW", "US", "+15552255669"),
        // RFC 3966.
        ("tel:201-555-0291;phone-context=+1", "DE", "+12015550291"),
        ("tel:2015550291;phone-context=example.com", "US", "+12015550291"),
        ("tel:2015550291;phone-context=", "US", nil),
        ("tel:+1-201-555-0291;phone-context=+1", "US", nil),
        // International prefixes, including "+" followed by an IDD.
        ("+0044 7400 123565", "GB", "+447400123565"),
        ("011 44 7400 123565", "US", "+447400123565"),
        ("00", "US", nil),
        ("+999 123456", "US", nil),
        // Non-geographic calling codes and unknown default regions.
        ("+800 1234 5678", "US", "+80012345678"),
        ("+80012345678", "XX", "+80012345678"),
        ("+1 201 555 0291", "001", "+12015550291"),
        ("2015550291", "XX", nil),
        // National prefix transform rules and carrier codes (AR, BR).
        ("011 15 2345-6789", "AR", "+5491123456789"),
        ("+54 9 11 2345 6789", "AR", "+5491123456789"),
        ("0 11 96123-4396", "BR", "+5511961234396"),
        ("012 11 96123-4396", "BR", "+5511961234396"),
        // The default region's calling code without "+", and local-only lengths.
        ("49 123", "DE", "+4949123"),
        ("+49123", "DE", "+49123"),
        ("123456789012345678", "DE", nil),
    ]

    /// One entry of `libphonenumberCases`.
    @Test(
        "matches libphonenumber on extensions, Unicode digits, RFC 3966 and prefixes",
        arguments: libphonenumberCases.indices
    )
    func libphonenumberCase(_ index: Int) {
        let (input, region, expected) = Self.libphonenumberCases[index]
        let actual = normalizer.normalize(input, defaultRegion: region)
        #expect(actual.e164Value == expected, "input=\(input.debugDescription) region=\(region) expected=\(expected ?? "INVALID") actual=\(actual)")
    }

    /// Unlike libphonenumber (which wants upper case), the region may be given in any case.
    @Test("default region is case-insensitive")
    func regionCaseInsensitive() {
        #expect(normalizer.normalize("2015550291", defaultRegion: "us") == .e164("+12015550291"))
        #expect(normalizer.normalize("07400 123565", defaultRegion: "Gb") == .e164("+447400123565"))
    }

    /// Reasons are short and name the numbering plan whose lengths were checked.
    @Test("invalid inputs carry a readable reason")
    func reasons() {
        #expect(normalizer.normalize("n/a", defaultRegion: "US") == .invalid(reason: "no digits"))
        #expect(normalizer.normalize("", defaultRegion: "US") == .invalid(reason: "no digits"))
        #expect(normalizer.normalize("123", defaultRegion: "CA") == .invalid(reason: "too short for CA"))
        #expect(normalizer.normalize("+44 12", defaultRegion: "US") == .invalid(reason: "too short for GB"))
        #expect(normalizer.normalize("12345678901234567890", defaultRegion: "NZ") == .invalid(reason: "too long"))
        #expect(normalizer.normalize("2015550291", defaultRegion: "XX") == .invalid(reason: "unknown default region \"XX\""))
        #expect(normalizer.normalize("+999 123456", defaultRegion: "US") == .invalid(reason: "invalid country calling code"))
    }

    /// Oversized input is refused before any parsing work, and near-limit input stays cheap.
    @Test("very long garbage is rejected quickly")
    func longGarbage() {
        let garbage = String(repeating: "1a-(x#", count: 10_000 / 6 + 1)
        let clock = ContinuousClock()
        var result = PhoneNormalization.e164("")
        let elapsed = clock.measure {
            result = normalizer.normalize(garbage, defaultRegion: "US")
        }
        #expect(result == .invalid(reason: "input too long"))
        #expect(elapsed < .milliseconds(500), "took \(elapsed)")

        // Just under libphonenumber's 250-character limit, full of extension look-alikes.
        let nearLimit = String(repeating: "1 ext 2 x", count: 27)
        let nearLimitElapsed = clock.measure {
            _ = normalizer.normalize(nearLimit, defaultRegion: "DE")
        }
        #expect(nearLimitElapsed < .milliseconds(500), "took \(nearLimitElapsed)")
    }

    /// `isKnownRegion` / `knownRegions` cover every fixture region and reject non-regions.
    @Test("known regions")
    func knownRegions() {
        #expect(PhoneNumberNormalizer.isKnownRegion("US"))
        #expect(PhoneNumberNormalizer.isKnownRegion("gb"))
        #expect(!PhoneNumberNormalizer.isKnownRegion("ZZ"))
        #expect(!PhoneNumberNormalizer.isKnownRegion("001"))
        #expect(!PhoneNumberNormalizer.isKnownRegion(""))
        #expect(!PhoneNumberNormalizer.isKnownRegion("USA"))
        let regions = PhoneNumberNormalizer.knownRegions
        #expect(regions.count > 240)
        for region in Set(PhoneFixture.rows.map(\.region)) {
            #expect(regions.contains(region), "fixture region \(region) missing")
        }
    }

    /// Touches every region's patterns once.
    @Test("every region's metadata patterns compile and run")
    func everyRegion() {
        // Exercises the general, national-prefix and IDD patterns of every region; a pattern
        // that fails to compile traps in debug builds.
        for region in PhoneNumberNormalizer.knownRegions {
            for input in ["0123456789", "00441234567890", "1234567"] {
                _ = normalizer.normalize(input, defaultRegion: region)
            }
            // A number with its calling code does not depend on the default region.
            #expect(normalizer.normalize("+1 201-555-0291", defaultRegion: region) == .e164("+12015550291"))
        }
    }

    /// The shared pattern cache behaves under concurrent first use.
    @Test("concurrent use gives the same answers")
    func concurrentUse() async {
        let rows = PhoneFixture.rows
        let shared = normalizer
        let expected = rows.map { shared.normalize($0.input, defaultRegion: $0.region) }
        let mismatches = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var count = 0
                    for (row, want) in zip(rows, expected) where shared.normalize(row.input, defaultRegion: row.region) != want {
                        count += 1
                    }
                    return count
                }
            }
            return await group.reduce(0, +)
        }
        #expect(mismatches == 0)
    }
}
