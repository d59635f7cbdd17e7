import CSVReader
import Shared
import Testing

/// Headers real exports use, matched by their words (``CSVHeaderMapping/match(_:isMetaExport:)``),
/// the ranking among columns naming one field, and the report of which column was taken.
@Suite("CSV header word matching")
struct CSVHeaderWordMatchingTests {
    @Test(
        "headers of real exports find their field",
        arguments: [
            // The issue's list.
            ("Mobile", .phone, .exact), ("Cell Phone", .phone, .exact), ("Phone #", .phone, .exact),
            ("Contact Phone Number", .phone, .qualified), ("E-mail Address", .email, .exact),
            ("Email Address (Work)", .email, .qualified), ("Zip/Postal Code", .postalCode, .exact),
            ("First Name (Required)", .firstName, .qualified),
            // Case, punctuation, camelCase, accents (precomposed and combining), full-width letters.
            ("PRIMARY EMAIL", .email, .qualified), ("contactPhoneNumber", .phone, .qualified), ("Work Phone", .phone, .qualified),
            ("Téléphone", .phone, .exact), ("Pre\u{301}nom", .firstName, .exact), ("Código Postal", .postalCode, .exact),
            ("ＥＭＡＩＬ", .email, .exact), ("Your Email Address", .email, .qualified), ("Lead Notes", .notes, .qualified),
            ("Name (Required)", .fullName, .qualified), ("Postal Code / ZIP", .postalCode, .qualified),
            ("Mobile Phone Number", .phone, .qualified), ("Home Phone", .phone, .qualified),
            // Second values.
            ("Phone 2", .phone, .secondary), ("Phone2", .phone, .secondary), ("2nd Phone", .phone, .secondary),
            ("Alternate Email", .email, .secondary), ("Other Phone Number", .phone, .secondary),
        ] as [(String, LeadField, CSVHeaderRank)]
    )
    func realHeaders(header: String, field: LeadField, rank: CSVHeaderRank) {
        let match = CSVHeaderMapping.match(header)
        #expect(match?.field == field)
        #expect(match?.rank == rank)
    }

    @Test(
        "headers that only mention a field stay extras",
        arguments: [
            "Notes about phone", "Company", "Company Name", "Last Contact", "First Contact Date", "Contact", "Contact ID",
            "Phone Type", "Email Opt-In", "Emergency Contact Phone", "Number", "#", "Work", "Home Address", "Email/Phone",
            "Primary", "Phone Verified", "Lead Source", "id", "I.D.", "Business Name", "Office Name",
        ]
    )
    func mentionsAreNotFields(header: String) {
        #expect(CSVHeaderMapping.match(header) == nil)
    }

    @Test("the best-named column is read first; equals go by file order; the rest fill in")
    func ranking() {
        let map = CSVColumnMap(header: ["Work Phone", "Phone 2", "Phone", "Mobile", "E-mail"])
        #expect(map.index(of: .phone) == 2)
        #expect(map.fieldColumnNames == ["phone": "Phone", "email": "E-mail"])
        #expect(
            map.tiedColumnWarnings == [
                "2 columns could hold phone: \"Phone\" (the first) is used, \"Mobile\" only on rows where it is blank"
            ]
        )

        let all = CSVRecord(fields: ["+15550100", "+15550102", "+15550103", "+15550104", "a@x.io"], recordNumber: 1, line: 2)
        let input = map.leadInput(for: all)
        #expect(input.fields == [.phone: "+15550103", .email: "a@x.io"])
        #expect(input.extra == ["Work Phone": .string("+15550100"), "Phone 2": .string("+15550102"), "Mobile": .string("+15550104")])

        let exactBlank = CSVRecord(fields: ["+15550100", "+15550102", "", "", "a@x.io"], recordNumber: 2, line: 3)
        #expect(map.leadInput(for: exactBlank).fields[.phone] == "+15550100", "a qualified name before a secondary one")
        #expect(map.value(.phone, in: exactBlank) == "+15550100")
    }

    @Test("a Meta phone prefix is stripped in a column matched by its words")
    func metaPrefixInAQualifiedColumn() {
        let map = CSVColumnMap(header: ["Contact Phone Number", "Email Address (Work)"])
        #expect(map.hasContactColumn)
        let record = CSVRecord(fields: ["p:+12395550111", "ann@example.com"], recordNumber: 1, line: 2)
        #expect(map.leadInput(for: record, keepRaw: false).fields == [.phone: "+12395550111", .email: "ann@example.com"])
    }

    @Test("a file headed Contact Phone Number imports; a file with no usable column is refused with its header")
    func batcher() throws {
        var batcher = CSVImportBatcher(defaultRegion: "US", batchSize: 10)
        _ = try batcher.consume(Array("First Name (Required),Contact Phone Number,Notes about phone\r\nAnn,(201) 555-0123,call late\r\n".utf8))
        let batches = try batcher.finish()
        #expect(batches.first?.leads.first?.phone == "+12015550123")
        #expect(batches.first?.leads.first?.firstName == "Ann")

        var refused = CSVImportBatcher(defaultRegion: "US")
        #expect(
            throws: CSVImportFailure(
                reason: "no column holds an email address or a phone number, so no row can become a lead; "
                    + "the header has: Notes about phone, Company"
            )
        ) {
            _ = try refused.consume(Array("Notes about phone,Company\r\ncall late,Acme\r\n".utf8))
            _ = try refused.finish()
        }
    }
}
