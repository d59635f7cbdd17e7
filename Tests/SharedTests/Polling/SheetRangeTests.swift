import Shared
import Testing

@Suite("Sheet ranges (A1 notation)")
struct SheetRangeTests {
    /// A range as the tests state it: the tab, the columns and the first row.
    struct Parsed: Sendable, CustomTestStringConvertible {
        var tab: String?
        var columns: (first: String, last: String)?
        var firstRow = 1

        var testDescription: String { "\(tab ?? "<first tab>") \(columns.map { "\($0.first):\($0.last)" } ?? "all columns") from \(firstRow)" }

        func matches(_ range: SheetRange) -> Bool {
            range.tab == tab && range.columns?.first == columns?.first && range.columns?.last == columns?.last && range.firstRow == firstRow
        }
    }

    @Test(arguments: [
        ("Leads!A:Z", Parsed(tab: "Leads", columns: ("A", "Z"))),
        ("'תל אביב'!A:Z", Parsed(tab: "תל אביב", columns: ("A", "Z"))),
        ("'Jon''s data'!B2:F", Parsed(tab: "Jon's data", columns: ("B", "F"), firstRow: 2)),
        ("Leads", Parsed(tab: "Leads")),
        ("'Leads'", Parsed(tab: "Leads")),
        ("'תל אביב'", Parsed(tab: "תל אביב")),
        ("A:Z", Parsed(columns: ("A", "Z"))),
        ("A3:Z", Parsed(columns: ("A", "Z"), firstRow: 3)),
        ("Leads!B2:F900", Parsed(tab: "Leads", columns: ("B", "F"), firstRow: 2)),
        ("leads!a:z", Parsed(tab: "leads", columns: ("A", "Z"))),
        ("  Leads!A:ZZ  ", Parsed(tab: "Leads", columns: ("A", "ZZ"))),
        ("Sales 2026!AA5:AZ", Parsed(tab: "Sales 2026", columns: ("AA", "AZ"), firstRow: 5)),
        ("Jon's!A:C", Parsed(tab: "Jon's", columns: ("A", "C"))),
        ("'A!B'!A:C", Parsed(tab: "A!B", columns: ("A", "C"))),
        ("'It''s ''quoted'''!A:C", Parsed(tab: "It's 'quoted'", columns: ("A", "C"))),
    ])
    func aConfiguredRangeParses(text: String, expected: Parsed) throws {
        let range = try SheetRange(text)
        #expect(expected.matches(range), "\(text) parsed as tab \(range.tab ?? "nil"), \(String(describing: range.columns)), row \(range.firstRow)")
    }

    @Test(arguments: [
        "", "   ", "'Leads", "''!A:Z", "'Leads'A:Z", "!A:Z", "Leads!A1", "Leads!A0:Z", "Leads!1:5", "Leads!AAAA:Z", "Leads!A:Z:Q",
        "Leads!A1:", "Leads!:Z", "Leads!A-1:Z", "Leads!Ä:Z",
    ])
    func aBadRangeIsRejectedNamingConfigRanges(text: String) {
        let error = #expect(throws: StoreError.self) { try SheetRange(text) }
        #expect(error?.invalidField == "config.ranges")
    }

    @Test func theErrorQuotesTheRangeAsWritten() {
        let error = #expect(throws: StoreError.self) { try SheetRange("Leads!A1") }
        #expect(error?.invalidMessage?.hasPrefix("'Leads!A1' ") == true)
    }

    @Test
    func aRowNumberTooLargeForIntIsRejected() {
        let error = #expect(throws: StoreError.self) { try SheetRange("Leads!A99999999999999999999:Z") }
        #expect(error?.invalidField == "config.ranges")
    }

    @Test(arguments: [
        ("Leads!A:Z", "'Leads'!A:Z"),
        ("'Leads'!A:Z", "'Leads'!A:Z"),
        ("Leads!A1:Z", "'Leads'!A:Z"),
        ("Leads!a:z", "'Leads'!A:Z"),
        ("Leads!B2:F900", "'Leads'!B2:F"),
        ("'תל אביב'!A:Z", "'תל אביב'!A:Z"),
        ("'Jon''s data'!B2:F", "'Jon''s data'!B2:F"),
        ("Jon's data!B2:F", "'Jon''s data'!B2:F"),
        ("Leads", "'Leads'!"),
        ("'Leads'!", "'Leads'!"),
        ("A:Z", "A:Z"),
        ("A3:Z", "A3:Z"),
    ])
    func theDescriptionIsTheNormalizedRange(text: String, description: String) throws {
        #expect(try SheetRange(text).description == description)
    }

    @Test func aNormalizedDescriptionParsesBackToTheSameRange() throws {
        for text in ["Leads!A:Z", "'תל אביב'!A:Z", "'Jon''s data'!B2:F", "Leads", "A:Z", "A3:Z", "'A!B'!C:D"] {
            let range = try SheetRange(text)
            #expect(try SheetRange(range.description) == range, "\(text)")
        }
    }

    @Test(arguments: [
        ("Leads!A:Z", 1...10_000, "'Leads'!A1:Z10000"),
        ("Leads!A:Z", 10_001...20_000, "'Leads'!A10001:Z20000"),
        ("'תל אביב'!A:Z", 1...10_000, "'תל אביב'!A1:Z10000"),
        ("'Jon''s data'!B2:F", 2...101, "'Jon''s data'!B2:F101"),
        ("Leads", 1...100, "'Leads'!1:100"),
        ("A:Z", 1...100, "A1:Z100"),
        ("A3:Z", 3...102, "A3:Z102"),
    ])
    func aWindowNamesTheRowsInA1(text: String, rows: ClosedRange<Int>, window: String) throws {
        #expect(try SheetRange(text).window(rows: rows) == window)
    }

    @Test func theWindowsOfAHebrewTabParseBackToTheTab() throws {
        let range = try SheetRange("'תל אביב'!A:Z")
        let window = try SheetRange(range.window(rows: 10_001...20_000))
        #expect(window.tab == "תל אביב")
        #expect(window.firstRow == 10_001)
    }
}
