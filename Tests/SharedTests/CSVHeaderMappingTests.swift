import CSVReader
import Shared
import Testing

/// Header aliases (the project's ``LeadField`` plus the CSV rules), Meta prefixes and the
/// column map that turns a record into a ``LeadInput``.
@Suite("CSV header mapping")
struct CSVHeaderMappingTests {
    @Test(
        "aliases map to lead fields, ignoring case, spaces and punctuation",
        arguments: [
            ("First Name", .firstName), ("firstname", .firstName), ("first", .firstName), ("Given Name", .firstName),
            ("Vorname", .firstName), ("Last Name", .lastName), ("surname", .lastName), ("lastname", .lastName),
            ("Family Name", .lastName), ("Name", .fullName), ("Full Name", .fullName), ("full_name", .fullName),
            ("Contact Name", .fullName), ("E-mail", .email), ("Email Address", .email), ("email", .email),
            ("mail", .email), ("  E-MAIL  ", .email), ("Phone", .phone), ("Phone Number", .phone),
            ("phone_number", .phone), ("mobile", .phone), ("Cell", .phone), ("telephone", .phone), ("Tel.", .phone),
            ("ZIP", .postalCode), ("zip_code", .postalCode), ("Zip Code", .postalCode), ("postcode", .postalCode),
            ("Postal Code", .postalCode), ("PLZ", .postalCode), ("notes", .notes), ("Comments", .notes),
            ("message", .notes), ("lead_id", .externalId),
        ] as [(String, LeadField)]
    )
    func alias(header: String, field: LeadField) {
        #expect(CSVHeaderMapping.leadField(for: header) == field)
    }

    @Test("other headers stay extras", arguments: ["Company", "which_location_do_you_prefer?", "ad_id", "lead_status", "id", "created_time", ""])
    func extras(header: String) {
        #expect(CSVHeaderMapping.leadField(for: header) == nil)
    }

    @Test("created-time headers are recognised", arguments: ["created_time", "Created At", "Date Created", "created"])
    func createdTime(header: String) {
        #expect(CSVHeaderMapping.isCreatedTime(header))
        #expect(!CSVHeaderMapping.isCreatedTime("updated_time"))
    }

    @Test("`id` is the external id only in a Meta export")
    func metaID() throws {
        let meta = try #require(CSVTestSupport.read(try CSVTestSupport.fixture("facebook_lead_ads_export.csv")).header)
        #expect(CSVHeaderMapping.isMetaExport(header: meta))
        #expect(!CSVHeaderMapping.isMetaExport(header: ["id", "name", "email"]))
        #expect(CSVHeaderMapping.leadField(for: "id", isMetaExport: true) == .externalId)
        #expect(CSVColumnMap(header: ["id", "name", "email"]).index(of: .externalId) == nil)
    }

    @Test(
        "Meta prefixes are stripped only in their own columns and only before plausible values",
        arguments: [
            ("id", "l:1000000000000000", "1000000000000000"), ("ad_id", "ag:2000000000000000", "2000000000000000"),
            ("adset_id", "as:3000000000000000", "3000000000000000"), ("campaign_id", "c:4000000000000000", "4000000000000000"),
            ("form_id", "f:5000000000000000", "5000000000000000"), ("phone_number", "p:+12395550111", "+12395550111"),
            ("Phone", "p:(555) 010-0199", "(555) 010-0199"), ("notes", "p: call after 5", "p: call after 5"),
            ("phone_number", "p: call after 5", "p: call after 5"), ("ad_name", "c:4000", "c:4000"),
            ("id", "c:4000", "c:4000"), ("form_id", "f:abc", "f:abc"), ("email", "l:1", "l:1"), ("id", "l:", "l:"),
        ] as [(String, String, String)]
    )
    func metaPrefix(column: String, value: String, expected: String) {
        let map = CSVColumnMap(header: [column])
        #expect(map.cleanedValue(at: 0, in: CSVRecord(fields: [value], recordNumber: 1, line: 2)) == expected)
    }

    @Test("the Meta export becomes LeadInputs with cleaned ids and phones")
    func facebookColumnMap() throws {
        let outcome = CSVTestSupport.read(try CSVTestSupport.fixture("facebook_lead_ads_export.csv"))
        let map = CSVColumnMap(header: try #require(outcome.header))
        #expect(map.isMetaExport)
        #expect(map.hasContactColumn)
        #expect(map.createdTimeIndex == 1)
        let expected: [LeadField: Int] = [.externalId: 0, .fullName: 13, .email: 14, .phone: 15, .postalCode: 16]
        for field in LeadField.allCases { #expect(map.index(of: field) == expected[field], "\(field)") }

        let record = outcome.records[1]
        #expect(map.value(.phone, in: record) == "+12395550111")
        #expect(map.value(.firstName, in: record) == nil)
        let input = map.leadInput(for: record)
        #expect(
            input.fields == [
                .externalId: "1000000000000001", .fullName: "Dmitri Smith", .email: "dmitri.1@example.com",
                .phone: "+12395550111", .postalCode: "10583",
            ]
        )
        let extra: [String: JSONValue] = [
            "created_time": .string("2026-09-02T17:04:53+05:30"),
            "ad_id": .string("2000000000000001"), "ad_name": .string("Roof Spring Promo"),
            "adset_id": .string("3000000000000000"), "adset_name": .string("Eden Prairie 25mi"),
            "campaign_id": .string("4000000000000000"), "campaign_name": .string("Leads Q3"),
            "form_id": .string("5000000000000000"), "form_name": .string("Free Inspection"),
            "is_organic": .string("false"), "platform": .string("fb"),
            "which_location_do_you_prefer?": .string("Eden Prairie"), "lead_status": .string("CREATED"),
        ]
        #expect(input.extra == extra)
        guard case let .object(raw)? = input.raw else {
            Issue.record("raw is not an object")
            return
        }
        #expect(raw.count == 18)
        #expect(raw["id"] == .string("l:1000000000000001"))
        #expect(raw["phone_number"] == .string("p:+12395550111"))

        let blankPhone = map.leadInput(for: outcome.records[0], keepRaw: false)
        #expect(blankPhone.fields[.phone] == nil)
        #expect(blankPhone.fields[.email] == nil)
        #expect(blankPhone.raw == nil)
        #expect(map.value(.phone, in: outcome.records[0]) == "")
    }

    @Test("column maps of the Excel and roofing files")
    func otherColumnMaps() throws {
        let excel = CSVColumnMap(header: ["First Name", "Last Name", "E-mail", "Phone", "ZIP"])
        #expect(excel.columns.map(\.field) == [.firstName, .lastName, .email, .phone, .postalCode])

        let roofing = CSVTestSupport.read(try CSVTestSupport.fixture("roofing_historical_leads.csv"))
        let map = CSVColumnMap(header: try #require(roofing.header))
        #expect(map.mappedFields == [.fullName, .phone, .notes])
        #expect(map.hasContactColumn)
        #expect(map.createdTimeIndex == nil)
        #expect(map.value(.fullName, in: roofing.records[33]) == "")
        let multiLine = map.leadInput(for: roofing.records[14])
        #expect(multiLine.fields[.notes] == "Gutters; also siding\nsecond line of note")
        #expect(multiLine.extra == ["Company": .string("Acme Roofing")])
    }

    @Test("two columns for one field: the first non-empty wins, the other goes to extra")
    func duplicateFieldColumns() {
        let map = CSVColumnMap(header: ["Phone", "Mobile", "Email"])
        #expect(map.index(of: .phone) == 0)
        #expect(map.columns.map(\.field) == [.phone, .phone, .email])

        let both = CSVRecord(fields: ["p:+15550100", "p:+15550101", "a@x.io", "spare", " "], recordNumber: 1, line: 2)
        let input = map.leadInput(for: both)
        #expect(input.fields == [.phone: "+15550100", .email: "a@x.io"])
        #expect(input.extra == ["Mobile": .string("+15550101"), "_extra_1": .string("spare")])

        let firstBlank = CSVRecord(fields: ["", "+15550101", "a@x.io"], recordNumber: 2, line: 3)
        #expect(map.value(.phone, in: firstBlank) == "+15550101")
        #expect(map.leadInput(for: firstBlank).fields[.phone] == "+15550101")
        #expect(map.leadInput(for: firstBlank).extra.isEmpty)
    }
}
