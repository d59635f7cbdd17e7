import CSVReader
import Shared
import Testing

/// Text inspected by Unicode scalar where a `Character` (a grapheme cluster) would mislead: a
/// space followed by a combining accent is one `Character` that counts as whitespace, and one
/// `Character` can hold any number of combining marks.
@Suite("CSV and lead text by scalar")
struct CSVScalarTextTests {
    @Test func aCellOfASpaceAndACombiningAccentIsNotBlank() {
        #expect(!CSVRecord(fields: [" \u{301}", ""], recordNumber: 1, line: 2).isBlank)
        #expect(CSVRecord(fields: [" \r\n", "\t"], recordNumber: 1, line: 2).isBlank)
    }

    @Test func trimmingACellRemovesOnlyWhitespace() {
        let map = CSVColumnMap(header: ["notes"])
        #expect(map.cleanedValue(at: 0, in: CSVRecord(fields: [" \u{301}x \r\n"], recordNumber: 1, line: 2)) == "\u{301}x")
        #expect(map.cleanedValue(at: 0, in: CSVRecord(fields: ["\r\n x y \r\n"], recordNumber: 1, line: 2)) == "x y")
    }

    @Test func lengthLimitsCountScalarsSoCombiningMarksCannotHideSize() {
        let normalizer = LeadNormalizer(defaultRegion: "US")
        let zalgo = "A" + String(repeating: "\u{301}", count: LeadNormalizer.maximumNameLength)
        guard case .failure(let rejection) = normalizer.normalize(LeadInput(fields: [.email: "ann@example.com", .firstName: zalgo])) else {
            Issue.record("a one-Character name of \(zalgo.unicodeScalars.count) scalars was accepted")
            return
        }
        #expect(rejection.errors.map(\.field) == ["first_name"])
        let name = String(repeating: "é", count: LeadNormalizer.maximumNameLength)
        guard case .success = normalizer.normalize(LeadInput(fields: [.email: "ann@example.com", .firstName: name])) else {
            Issue.record("a name of exactly the limit was refused")
            return
        }
    }
}
