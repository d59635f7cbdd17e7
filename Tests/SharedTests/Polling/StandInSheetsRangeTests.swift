import TestSupport
import Testing

@Suite("Sheets stand-in: A1 ranges")
struct StandInSheetsRangeTests {
    @Test(arguments: [
        ("Leads!A:Z", SheetsA1Range(tab: "Leads", firstColumn: 1, lastColumn: 26)),
        ("Leads!A1:Z10000", SheetsA1Range(tab: "Leads", firstColumn: 1, lastColumn: 26, firstRow: 1, lastRow: 10_000)),
        ("Leads!A10001:Z20000", SheetsA1Range(tab: "Leads", firstColumn: 1, lastColumn: 26, firstRow: 10_001, lastRow: 20_000)),
        ("'תל אביב'!A1:Z10000", SheetsA1Range(tab: "תל אביב", firstColumn: 1, lastColumn: 26, firstRow: 1, lastRow: 10_000)),
        ("'Jon''s Data'!A:A", SheetsA1Range(tab: "Jon's Data", firstColumn: 1, lastColumn: 1)),
        ("'Leads'", SheetsA1Range(tab: "Leads")),
        ("Leads", SheetsA1Range(tab: "Leads")),
        ("A1:B2", SheetsA1Range(tab: nil, firstColumn: 1, lastColumn: 2, firstRow: 1, lastRow: 2)),
        ("Sheet1!A5:Z", SheetsA1Range(tab: "Sheet1", firstColumn: 1, lastColumn: 26, firstRow: 5)),
        ("Sheet1!2:3", SheetsA1Range(tab: "Sheet1", firstRow: 2, lastRow: 3)),
        ("Sheet1!c3", SheetsA1Range(tab: "Sheet1", firstColumn: 3, lastColumn: 3, firstRow: 3, lastRow: 3)),
        ("Sheet1!AA1:AB2", SheetsA1Range(tab: "Sheet1", firstColumn: 27, lastColumn: 28, firstRow: 1, lastRow: 2)),
    ])
    func aRangeParsesAsTheSheetsAPIReadsIt(text: String, expected: SheetsA1Range) {
        #expect(SheetsA1Range(parsing: text) == expected)
    }

    @Test(arguments: [
        "'Leads!A1:B2", "'Leads'A1", "Leads!", "'Leads'!", "!A1:B2", "Leads!A1:", "Leads!1A", "Leads!A0:B2", "Leads!A1:B2:C3", "Leads!A:2",
    ])
    func aMalformedRangeDoesNotParse(text: String) {
        #expect(SheetsA1Range(parsing: text) == nil)
    }

    @Test func tabNamesAreQuotedAsGoogleEchoesThem() {
        #expect(SheetsA1Range.quotedTabName("Leads") == "Leads")
        #expect(SheetsA1Range.quotedTabName("Sheet_1") == "Sheet_1")
        #expect(SheetsA1Range.quotedTabName("תל אביב") == "'תל אביב'")
        #expect(SheetsA1Range.quotedTabName("Jon's Data") == "'Jon''s Data'")
        #expect(SheetsA1Range.quotedTabName("B2") == "'B2'")
    }

    @Test(arguments: [(1, "A"), (26, "Z"), (27, "AA"), (52, "AZ"), (702, "ZZ"), (703, "AAA")])
    func columnLettersAndNumbersRoundTrip(number: Int, letters: String) {
        #expect(SheetsA1Range.columnLetters(number) == letters)
        #expect(SheetsA1Range.columnNumber(letters) == number)
    }
}
