import Shared
import Testing

@Suite("Sheet header: column names, field map, row identity")
struct SheetHeaderTests {
    static func header(_ cells: [String], from firstColumn: String = "A", fieldMap: [String: String] = [:]) -> SheetHeader {
        SheetHeader(cells: cells, firstColumn: firstColumn, fieldMap: fieldMap)
    }

    @Test func namesAreTheTrimmedHeaderCells() {
        #expect(Self.header([" Name ", "Email", "טלפון"]).names == ["Name", "Email", "טלפון"])
    }

    @Test func anEmptyHeaderCellIsNamedByItsColumnLetter() {
        #expect(Self.header(["Name", "", "Email", "  "]).names == ["Name", "B", "Email", "D"])
        #expect(Self.header(["Email", ""], from: "C").names == ["Email", "D"])
        #expect(Self.header(["Email", "", ""], from: "Y").names == ["Email", "Z", "AA"])
    }

    @Test func aRepeatedNameGetsItsColumnLetter() {
        #expect(Self.header(["Phone", "Email", "Phone", "Phone"]).names == ["Phone", "Email", "Phone (C)", "Phone (D)"])
        #expect(Self.header(["Phone", "Phone"], from: "Z").names == ["Phone", "Phone (AA)"])
    }

    @Test
    func namesStayUniqueWhenAHeaderAlreadyEndsInALetter() {
        let names = Self.header(["Email (C)", "Email", "Email"]).names
        #expect(Set(names).count == names.count, "\(names)")
    }

    @Test func everyNameIsUniqueForRepeatsAndBlanks() {
        let names = Self.header(["", "A", "B", "B", "", "Name", "Name", "Name", "C"]).names
        #expect(Set(names).count == names.count, "\(names)")
    }

    // MARK: - Cells of a row

    @Test func aRowsCellsAreKeyedByColumnNameWithoutTheEmptyOnes() {
        let header = Self.header(["Name", "Email", "Phone", "Notes"])
        #expect(header.cells(of: ["Dana", " dana@example.com ", "", "  "]) == ["Name": "Dana", "Email": "dana@example.com"])
    }

    @Test func aShortRaggedRowHasOnlyItsCells() {
        let header = Self.header(["Name", "Email", "Phone"])
        #expect(header.cells(of: ["Dana"]) == ["Name": "Dana"])
        #expect(header.cells(of: []) == [:])
    }

    @Test func cellsPastTheHeaderAreExtras() {
        let header = Self.header(["Name", "Email"])
        #expect(header.cells(of: ["Dana", "d@example.com", "", "late note"]) == ["Name": "Dana", "Email": "d@example.com", "_extra_2": "late note"])
        #expect(header.cells(of: ["Dana", "", "x", "y"]) == ["Name": "Dana", "_extra_1": "x", "_extra_2": "y"])
    }

    // MARK: - Identity

    @Test func aRowsHashDoesNotDependOnColumnOrder() {
        let before = Self.header(["Name", "Email", "Phone"]).cells(of: ["Dana", "d@example.com", "+972501234567"])
        let after = Self.header(["Phone", "Name", "Email"]).cells(of: ["+972501234567", "Dana", "d@example.com"])
        #expect(SheetHeader.hash(of: before) == SheetHeader.hash(of: after))
        #expect(SheetHeader.hash(of: before).count == 32)
    }

    @Test func anAddedEmptyColumnChangesNoRowsHash() {
        let before = Self.header(["Name", "Email"]).cells(of: ["Dana", "d@example.com"])
        let after = Self.header(["Name", "Status", "Email"]).cells(of: ["Dana", "", "d@example.com"])
        #expect(SheetHeader.hash(of: before) == SheetHeader.hash(of: after))
    }

    @Test func anyChangedCellOrNameChangesTheHash() {
        let dana = ["Name": "Dana", "Email": "d@example.com"]
        let hash = SheetHeader.hash(of: dana)
        #expect(SheetHeader.hash(of: ["Name": "Dana", "Email": "d2@example.com"]) != hash)
        #expect(SheetHeader.hash(of: ["Full name": "Dana", "Email": "d@example.com"]) != hash)
        #expect(SheetHeader.hash(of: ["Name": "Dana"]) != hash)
        // Name and value are separated: moving a character from the name into the value is another row.
        #expect(SheetHeader.hash(of: ["ab": "c"]) != SheetHeader.hash(of: ["a": "bc"]))
    }

    // MARK: - Header changes

    @Test func changesListTheNamesGoneAndTheNamesNew() {
        let header = Self.header(["Email", "Name", "Notes"])
        let changes = header.changes(from: ["Name", "Email", "Phone"])
        #expect(changes.removed == ["Phone"])
        #expect(changes.added == ["Notes"])
        let same = header.changes(from: ["Notes", "Email", "Name"])
        #expect(same.removed.isEmpty && same.added.isEmpty)
    }

    // MARK: - Leads

    @Test func csvAliasesFindTheContactColumns() {
        let header = Self.header(["Full Name", "E-mail", "Phone Number", "Zip Code", "Comments", "Favourite colour"])
        #expect(header.hasContactColumn)
        let input = header.leadInput(row: ["Dana Cohen", "dana@example.com", "050-123-4567", "6100000", "call after 5", "green"], rowNumber: 7)
        #expect(input.fields[.fullName] == "Dana Cohen")
        #expect(input.fields[.email] == "dana@example.com")
        #expect(input.fields[.phone] == "050-123-4567")
        #expect(input.fields[.postalCode] == "6100000")
        #expect(input.fields[.notes] == "call after 5")
        #expect(input.extra["Favourite colour"] == "green")
    }

    @Test func aHeaderWithoutEmailOrPhoneHasNoContactColumn() {
        #expect(!Self.header(["Name", "Notes", "Status"]).hasContactColumn)
        #expect(!Self.header([]).hasContactColumn)
    }

    @Test func metaPhonePrefixesAreRemoved() {
        let header = Self.header(["id", "created_time", "full_name", "email", "phone_number"])
        let input = header.leadInput(row: ["l:1000", "2026-12-01T10:00:00+0200", "Dana", "d@example.com", "p:+972501234567"], rowNumber: 2)
        #expect(input.fields[.phone] == "+972501234567")
        #expect(input.fields[.fullName] == "Dana")
    }

    @Test func theFieldMapNamesAColumnsLeadField() {
        let header = Self.header(["שם", "נייד", "Source"], fieldMap: ["נייד": "phone", "שם": "full_name"])
        #expect(header.hasContactColumn)
        #expect(header.names == ["שם", "נייד", "Source"])
        let input = header.leadInput(row: ["דנה", "p:050-1234567", "Facebook"], rowNumber: 3)
        #expect(input.fields[.phone] == "050-1234567")
        #expect(input.fields[.fullName] == "דנה")
        #expect(input.extra["Source"] == "Facebook")
    }

    @Test func theFieldMapKeysAreTheUniqueNames() {
        let header = Self.header(["Phone", "Phone"], fieldMap: ["Phone (B)": "extra.office_phone"])
        let input = header.leadInput(row: ["050-1111111", "03-2222222"], rowNumber: 2)
        #expect(input.fields[.phone] == "050-1111111")
        #expect(input.extra["office_phone"] == "03-2222222")
    }

    @Test
    func anExtraTargetStaysAnExtraEvenWhenItsNameIsAnAlias() {
        let header = Self.header(["Email", "Mobile"], fieldMap: ["Mobile": "extra.mobile"])
        let input = header.leadInput(row: ["d@example.com", "050-1234567"], rowNumber: 2)
        #expect(input.fields[.phone] == nil)
        #expect(input.extra["mobile"] == "050-1234567")
    }

    @Test func theRowsCellsByNameAreWhatSheetRowsKeepsAndTheLeadKeepsNoRaw() {
        let header = Self.header(["Name", "", "Email"])
        let row = ["Dana", "vip", "d@example.com", "", "surplus"]
        // As for CSV rows, `raw` is not stored with the lead; `sheet_rows.cells` holds the cells by name.
        #expect(header.leadInput(row: row, rowNumber: 9).raw == nil)
        #expect(header.cells(of: row) == ["Name": "Dana", "B": "vip", "Email": "d@example.com", "_extra_2": "surplus"])
    }
}
