import Shared
import Testing

@Suite("Sheet row diff: new, edited, moved and deleted rows")
struct SheetRowDiffTests {
    static let columns = ["Name", "Email", "Phone", "City"]
    static let dana = ["Dana", "dana@example.com", "050-1111111", "Tel Aviv"]
    static let avi = ["Avi", "avi@example.com", "050-2222222", "Haifa"]
    static let noa = ["Noa", "noa@example.com", "050-3333333", "Eilat"]
    static let lior = ["Lior", "lior@example.com", "050-4444444", "Jerusalem"]
    static let zohar = ["Zohar", "zohar@example.com", "050-5555555", "Akko"]

    static func read(_ rows: [String]...) -> SheetRowsAsPolled { SheetRowsAsPolled(columns: columns, rows) }

    /// The first cells of `rows` (their names), in order.
    static func names(_ rows: [SheetRowRead]) -> [String] { rows.compactMap(\.row.first) }

    @Test func anUnchangedSheetHasNoChanges() {
        let sheet = Self.read(Self.dana, Self.avi, Self.noa)
        let diff = sheet.diff(since: sheet)
        #expect(diff.new.isEmpty && diff.edited.isEmpty && diff.moved.isEmpty && diff.vanished.isEmpty)
    }

    @Test func aFirstReadFindsEveryRowNew() {
        let sheet = Self.read(Self.dana, Self.avi)
        let diff = SheetRowDiff(rows: sheet.rows, known: [:])
        #expect(Self.names(diff.new) == ["Dana", "Avi"])
        #expect(diff.new.map(\.rowNumber) == [2, 3])
    }

    @Test func anAppendedRowIsNew() {
        let diff = Self.read(Self.dana, Self.avi, Self.noa).diff(since: Self.read(Self.dana, Self.avi))
        #expect(Self.names(diff.new) == ["Noa"])
        #expect(diff.new.first?.rowNumber == 4)
        #expect(diff.edited.isEmpty && diff.moved.isEmpty && diff.vanished.isEmpty)
    }

    @Test func blankRowsInsertedAboveChangeNothing() {
        let before = Self.read(Self.dana, Self.avi, Self.noa)
        let after = Self.read([], Self.dana, ["", " "], [], Self.avi, Self.noa)
        let diff = after.diff(since: before)
        #expect(diff.new.isEmpty && diff.edited.isEmpty && diff.vanished.isEmpty)
        #expect(diff.moved.isEmpty)
        #expect(after.rows.map(\.rowNumber) == [3, 6, 7])
    }

    @Test func rowsInsertedAboveAreTheOnlyNewRowsAndTheRowBelowMoves() {
        let before = Self.read(Self.dana, Self.avi, Self.noa)
        let after = Self.read(Self.lior, Self.zohar, Self.dana, Self.avi, Self.noa)
        let diff = after.diff(since: before)
        #expect(Self.names(diff.new) == ["Lior", "Zohar"])
        #expect(diff.edited.isEmpty && diff.vanished.isEmpty)
        #expect(diff.moved.map(\.key) == [after.key("Dana")])
        #expect(diff.moved.first?.previousHash == after.key("Zohar")?.hash)
        #expect(diff.moved.first?.rowNumber == 4)
    }

    @Test func aDeletedRowVanishesAndTheRowBelowMoves() {
        let before = Self.read(Self.dana, Self.avi, Self.noa)
        let diff = Self.read(Self.dana, Self.noa).diff(since: before)
        #expect(diff.new.isEmpty && diff.edited.isEmpty)
        #expect(diff.vanished == [before.key("Avi")])
        #expect(diff.moved.map(\.key) == [before.key("Noa")])
        #expect(diff.moved.first?.previousHash == before.key("Dana")?.hash)
        #expect(diff.moved.first?.rowNumber == 3)
    }

    @Test func anEditedCellIsAnEditNotANewRow() {
        let before = Self.read(Self.dana, Self.avi, Self.noa)
        let after = Self.read(Self.dana, ["Avi", "avi@example.com", "050-9999999", "Haifa"], Self.noa)
        let diff = after.diff(since: before)
        #expect(diff.new.isEmpty)
        #expect(diff.edited.count == 1)
        #expect(diff.edited.first?.now.cells["Phone"] == "050-9999999")
        #expect(diff.edited.first?.before.key == before.key("Avi"))
        #expect(diff.edited.first?.before.leadId == 2)
        #expect(diff.vanished == [before.key("Avi")])
        // The row below now sits under the edited row.
        #expect(diff.moved.map(\.key) == [before.key("Noa")])
        #expect(diff.moved.first?.previousHash == after.key("Avi")?.hash)
    }

    @Test func anEditOfTheFirstRowIsAnEdit() {
        let before = Self.read(Self.dana, Self.avi)
        let diff = Self.read(["Dana", "dana@example.com", "050-1111111", "Ramat Gan"], Self.avi).diff(since: before)
        #expect(diff.new.isEmpty)
        #expect(diff.edited.map(\.before.key) == [before.key("Dana")])
    }

    @Test func aFilledInEmptyCellIsAnEdit() {
        let before = Self.read(Self.dana, ["Avi", "avi@example.com"])
        let diff = Self.read(Self.dana, ["Avi", "avi@example.com", "050-2222222"]).diff(since: before)
        #expect(diff.new.isEmpty)
        #expect(diff.edited.map(\.before.key) == [before.key("Avi")])
        #expect(diff.edited.first?.now.rowNumber == 3)
    }

    @Test func twoConsecutiveEditedRowsAreTwoEdits() {
        let before = Self.read(Self.dana, Self.avi, Self.noa, Self.lior)
        let after = Self.read(
            Self.dana,
            ["Avi", "avi@example.com", "050-2222222", "Nazareth"],
            ["Noa", "noa@example.org", "050-3333333", "Eilat"],
            Self.lior
        )
        let diff = after.diff(since: before)
        #expect(diff.new.isEmpty)
        #expect(diff.edited.map(\.before.key) == [before.key("Avi"), before.key("Noa")])
        #expect(diff.edited.map(\.now.rowNumber) == [3, 4])
        #expect(Set(diff.vanished) == Set([before.key("Avi"), before.key("Noa")].compactMap { $0 }))
        #expect(diff.moved.map(\.key) == [before.key("Lior")])
    }

    @Test func theLastRowDeletedAndAnUnrelatedRowAppendedIsANewRow() {
        let before = Self.read(Self.dana, Self.avi, Self.noa)
        let diff = Self.read(Self.dana, Self.avi, Self.zohar).diff(since: before)
        #expect(Self.names(diff.new) == ["Zohar"])
        #expect(diff.edited.isEmpty)
        #expect(diff.vanished == [before.key("Noa")])
    }

    @Test func aRowReplacedInPlaceSharingFewerThanHalfItsCellsIsNew() {
        let before = Self.read(Self.dana, Self.avi, Self.noa)
        // Same city as Avi: 1 of 4 cells agree.
        let diff = Self.read(Self.dana, ["Yael", "yael@example.com", "050-6666666", "Haifa"], Self.noa).diff(since: before)
        #expect(Self.names(diff.new) == ["Yael"])
        #expect(diff.edited.isEmpty)
        #expect(diff.vanished == [before.key("Avi")])
    }

    @Test func aRowSharingExactlyHalfItsCellsIsAnEdit() {
        let before = Self.read(Self.dana, Self.avi)
        let diff = Self.read(Self.dana, ["Avi", "avi@example.com", "054-0000000", "Nazareth"]).diff(since: before)
        #expect(diff.new.isEmpty)
        #expect(diff.edited.map(\.before.key) == [before.key("Avi")])
    }

    @Test
    func aNewLeadFromTheSameCampaignInPlaceOfADeletedOneIsNew() {
        // A Meta Lead Ads sheet (the columns Zapier/Make write): most cells of two leads of one form agree.
        let columns = [
            "created_time", "ad_id", "ad_name", "adset_id", "adset_name", "campaign_id", "campaign_name", "form_id", "form_name",
            "platform", "full_name", "email", "phone_number",
        ]
        let campaign = ["ag:120200", "Spring ad", "as:120201", "Tel Aviv 25-45", "c:120202", "Spring sale", "f:120203", "Spring form", "fb"]
        let first = ["2026-12-07T08:00:00+0200"] + campaign + ["Dana Cohen", "dana@example.com", "p:+972501111111"]
        let test = ["2026-12-07T08:01:00+0200"] + campaign + ["Test Lead", "test@example.com", "p:+972500000000"]
        let second = ["2026-12-07T08:02:00+0200"] + campaign + ["Avi Levi", "avi@example.com", "p:+972502222222"]
        let before = SheetRowsAsPolled(columns: columns, [first, test])
        // The operator deletes the test lead; before the next poll Zapier appends a real one.
        let diff = SheetRowsAsPolled(columns: columns, [first, second]).diff(since: before)
        #expect(diff.new.map(\.rowNumber) == [3])
        #expect(diff.edited.isEmpty)
    }

    @Test func identicalRowsAreToldApartByOccurrence() {
        let sheet = Self.read(Self.dana, Self.avi, Self.avi, Self.noa)
        #expect(sheet.rows.map(\.key.occurrence) == [1, 1, 2, 1])
        #expect(sheet.key("Avi", occurrence: 1)?.hash == sheet.key("Avi", occurrence: 2)?.hash)
        #expect(sheet.rows[2].previousHash == sheet.rows[1].key.hash)
        let diff = sheet.diff(since: sheet)
        #expect(diff.new.isEmpty && diff.edited.isEmpty && diff.moved.isEmpty && diff.vanished.isEmpty)
    }

    @Test func aSecondIdenticalRowIsNew() {
        let before = Self.read(Self.dana, Self.avi, Self.noa)
        let after = Self.read(Self.dana, Self.avi, Self.noa, Self.avi)
        let diff = after.diff(since: before)
        #expect(diff.new.map(\.key) == [after.key("Avi", occurrence: 2)])
        #expect(diff.edited.isEmpty && diff.moved.isEmpty && diff.vanished.isEmpty)
    }

    @Test func deletingOneOfTwoIdenticalRowsAddsNothing() {
        let before = Self.read(Self.dana, Self.avi, Self.avi, Self.noa)
        let diff = Self.read(Self.dana, Self.avi, Self.noa).diff(since: before)
        #expect(diff.new.isEmpty && diff.edited.isEmpty)
        #expect(diff.vanished == [before.key("Avi", occurrence: 2)])
    }

    @Test func editingOneOfTwoIdenticalRowsIsAnEdit() {
        let before = Self.read(Self.dana, Self.avi, Self.avi, Self.noa)
        let after = Self.read(Self.dana, Self.avi, ["Avi", "avi@example.com", "050-2222222", "Akko"], Self.noa)
        let diff = after.diff(since: before)
        #expect(diff.new.isEmpty)
        #expect(diff.edited.map(\.before.key) == [before.key("Avi", occurrence: 2)])
    }

    @Test func aSortedSheetHasNothingNew() {
        let before = Self.read(Self.dana, Self.avi, Self.noa, Self.lior, Self.zohar)
        let after = Self.read(Self.avi, Self.dana, Self.lior, Self.noa, Self.zohar)
        let diff = after.diff(since: before)
        #expect(diff.new.isEmpty && diff.edited.isEmpty && diff.vanished.isEmpty)
        #expect(Set(diff.moved.map(\.key)) == Set(after.rows.map(\.key)))
        for moved in diff.moved {
            let row = after.rows.first { $0.key == moved.key }
            #expect(moved.previousHash == row?.previousHash && moved.rowNumber == row?.rowNumber)
        }
    }

    @Test func reorderedColumnsChangeNoRow() {
        let before = Self.read(Self.dana, Self.avi)
        let after = SheetRowsAsPolled(
            columns: ["City", "Name", "Email", "Phone"],
            [["Tel Aviv", "Dana", "dana@example.com", "050-1111111"], ["Haifa", "Avi", "avi@example.com", "050-2222222"]]
        )
        let diff = after.diff(since: before)
        #expect(diff.new.isEmpty && diff.edited.isEmpty && diff.moved.isEmpty && diff.vanished.isEmpty)
    }

    @Test func aRowEditedWhileTheSheetWasSortedIsAnEdit() {
        let before = Self.read(Self.dana, Self.avi, Self.noa, Self.lior)
        let after = Self.read(Self.noa, ["Avi", "avi@example.com", "050-2222222", "Nazareth"], Self.dana, Self.lior)
        let diff = after.diff(since: before)
        #expect(diff.new.isEmpty)
        #expect(diff.edited.map(\.before.key) == [before.key("Avi")])
        #expect(diff.vanished == [before.key("Avi")])
    }

    @Test func aSortedSheetWithAnAppendedRowHasOnlyThatRowNew() {
        let before = Self.read(Self.dana, Self.avi, Self.noa)
        let after = Self.read(Self.noa, Self.lior, Self.dana, Self.avi)
        let diff = after.diff(since: before)
        #expect(Self.names(diff.new) == ["Lior"])
        #expect(diff.edited.isEmpty && diff.vanished.isEmpty)
    }
}
