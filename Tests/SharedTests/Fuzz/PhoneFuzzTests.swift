import Foundation
import PhoneNumbers
import Shared
import Testing

extension FuzzSuites {
    /// Property tests of ``PhoneNumberNormalizer``: random text never crashes it, its E.164 output
    /// is stable when normalized again, and valid fixture numbers survive any spelling.
    @Suite("Fuzz: phone normalization")
    struct PhoneFuzzTests {
        let normalizer = PhoneNumberNormalizer()
        static let regions = ["US", "GB", "DE", "NZ", "IN", "BR", "AU", "JP", "IT", "FR", "MX", "CN", "RU", "AR", "ZZ", "", "xx", "001", "us"]

        @Test("random text and long input: an E.164 string or a reason, and E.164 output normalizes to itself (or only loses a national prefix)")
        func randomText() async {
            var e164 = 0
            var invalid = 0
            await Fuzz.run("phone.randomText", seed: 0x9E0_0000_0001, cases: 6_000) { generator in
                var raw: String
                switch generator.below(5) {
                case 0:
                    raw = FuzzText.string(&generator, maxLength: 40)
                case 1:
                    // Mostly digits with a little punctuation: reaches the length and prefix rules.
                    raw =
                        (generator.chance(1, in: 2) ? "+" : "")
                        + String(
                            (0..<generator.within(1...20)).map { _ in
                                generator.chance(5, in: 6) ? Character(String(generator.below(10))) : generator.pick(Array(" -.()/x#;"))
                            }
                        )
                case 2:
                    raw = String(repeating: generator.pick(["1", "+", "0", "x", " ", "٠", "(", ";ext="]), count: generator.within(200...10_000))
                case 3:
                    raw =
                        generator.pick(["tel:", "+", "00", "011", "p:+", ";phone-context=", "+1", "+44", "+800", "+979"])
                        + FuzzText.string(&generator, maxLength: 30)
                default:
                    raw = FuzzText.string(&generator, maxLength: 300)
                }
                let region = generator.pick(Self.regions)
                let first = normalizer.normalize(raw, defaultRegion: region)
                guard case .e164(let number) = first else {
                    invalid += 1
                    if case .invalid(let reason) = first, reason.isEmpty { return "empty reason for \(raw.debugDescription)" }
                    return nil
                }
                e164 += 1
                return Self.stabilityProblem(number, normalizer: normalizer, region: region, raw: raw)
            }
            print("phone.randomText: \(e164) normalized, \(invalid) invalid")
            #expect(e164 > 100 && invalid > 100, "both outcomes are reached")
        }

        /// E.164 output, normalized again (with the same or any other region), is the same number,
        /// except for libphonenumber's documented quirk: a national prefix at the start of the
        /// national number is stripped once more (`+64000000000` → `+6400000000`).
        static func stabilityProblem(_ number: String, normalizer: PhoneNumberNormalizer, region: String, raw: String) -> String? {
            guard number.hasPrefix("+"), number.count >= 3, number.count <= 21, number.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber }) else {
                return "\(raw.debugDescription) [\(region)] gave \(number), not E.164"
            }
            for secondRegion in [region, "ZZ"] {
                let again = normalizer.normalize(number, defaultRegion: secondRegion)
                if again == .e164(number) { continue }
                guard case .e164(let shorter) = again, shorter.count < number.count,
                    (2...4).contains(where: { number.hasPrefix(shorter.prefix($0)) && number.hasSuffix(shorter.dropFirst($0)) })
                else {
                    return "\(raw.debugDescription) [\(region)] → \(number) → [\(secondRegion)] \(again)"
                }
            }
            return nil
        }

        /// The fixture's valid numbers (libphonenumber's `is_valid_number` holds).
        static let validNumbers: [(e164: String, region: String)] = PhoneFixture.rows
            .filter { $0.validity == "valid" && $0.expected != "INVALID" }
            .map { ($0.expected, $0.region) }

        /// Digit families `\d` matches: full-width, Arabic-Indic, extended Arabic-Indic, Devanagari,
        /// Bengali, mathematical bold.
        static let digitZeros: [UInt32] = [0x30, 0xFF10, 0x0660, 0x06F0, 0x0966, 0x09E6, 0x1D7CE]

        @Test("a valid fixture number in any spelling (punctuation, Unicode digits, full-width plus, tel:, extension) normalizes to its E.164 form")
        func validNumberSpellings() async throws {
            try #require(!Self.validNumbers.isEmpty)
            await Fuzz.run("phone.validNumberSpellings", seed: 0x9E0_0000_0002, cases: 3_000) { generator in
                let (expected, region) = generator.pick(Self.validNumbers)
                var scalars = String.UnicodeScalarView()
                scalars.append(generator.chance(1, in: 5) ? "\u{FF0B}" : "+")
                let zero = generator.pick(Self.digitZeros)
                let separators: [String] = [" ", "-", ".", "\u{A0}", "\u{2010}", "/", "  ", "\u{3000}"]
                for (offset, digit) in expected.unicodeScalars.dropFirst().enumerated() {
                    if offset > 0, generator.chance(1, in: 3) { scalars.append(contentsOf: generator.pick(separators).unicodeScalars) }
                    let value = digit.value - 0x30
                    let family = generator.chance(1, in: 8) ? generator.pick(Self.digitZeros) : zero
                    scalars.append(Unicode.Scalar(family + value) ?? digit)
                }
                var text = String(scalars)
                if generator.chance(1, in: 4) { text = generator.pick(["tel:", " ", "Phone: ", "\t", "p:"]) + text }
                // (A trailing "#" is not one of them: libphonenumber reads "…0690#" as no number at all.)
                if generator.chance(1, in: 4) { text += generator.pick([" ext. 12", " x99", ";ext=7", " "]) }
                let targetRegion = generator.chance(1, in: 2) ? region : generator.pick(Self.regions)
                let result = normalizer.normalize(text, defaultRegion: targetRegion)
                guard result == .e164(expected) else { return "\(text.debugDescription) [\(targetRegion)] → \(result), expected \(expected)" }
                let again = normalizer.normalize(expected, defaultRegion: generator.pick(Self.regions))
                return again == .e164(expected) ? nil : "\(expected) normalized again → \(again)"
            }
        }

        @Test("the lead normalizer keeps an unusable phone raw and flagged, and rejects one over 64 characters")
        func leadPhones() async {
            await Fuzz.run("phone.leadNormalizer", seed: 0x9E0_0000_0003, cases: 2_000) { generator in
                let raw =
                    generator.chance(1, in: 4)
                    ? String(repeating: "9", count: generator.within(60...70))
                    : FuzzText.string(&generator, maxLength: 80)
                let input = LeadInput(object: ["phone": .string(raw), "email": .string("a@example.com")])
                switch LeadNormalizer(defaultRegion: generator.pick(Self.regions)).normalize(input) {
                case .success(let lead):
                    if lead.phone == nil, lead.phoneRaw != nil, !lead.flags.contains("phone_invalid") {
                        return "raw phone \(raw.debugDescription) kept without the phone_invalid flag"
                    }
                    if let phone = lead.phone, !phone.hasPrefix("+") || lead.phoneRaw == nil {
                        return "phone \(phone) not E.164 or its raw form lost"
                    }
                case .failure(let rejection):
                    if rejection.errors.map(\.field) != ["phone"] { return "rejected \(raw.debugDescription): \(rejection.errors)" }
                }
                return nil
            }
        }
    }
}
