import Foundation
import Shared
import TestSupport
import Testing

@Suite("Sheets stand-in: values.get over loopback")
struct StandInSheetsTests {
    static let leads: [[String]] = [
        ["Full Name", "Email", "Phone Number"],
        ["Dana Levi", "dana@example.com", "050-1234567"],
        ["Avi Cohen", "", "", ""],
        ["", "", ""],
        ["Noa Katz", "noa@example.com"],
        ["", ""],
    ]

    /// Runs `body` with a stand-in holding ``leads`` in tabs `Leads` and `תל אביב`, and a token from it.
    func withSheets(_ body: (GoogleSheetsStandIn, String) async throws -> Void) async throws {
        try await GoogleSheetsStandIn.withRunning { sheets in
            sheets.setTab("Leads", rows: Self.leads)
            sheets.setTab("תל אביב", rows: [["שם מלא", "טלפון"], ["דנה", "", ""]])
            let provider = GoogleAccessTokenProvider(
                key: try GoogleServiceAccountKey(json: sheets.serviceAccountJSON),
                httpClient: .allowingPrivateNetworksForTests
            )
            try await body(sheets, try await provider.accessToken().value)
        }
    }

    func read(
        _ sheets: GoogleSheetsStandIn,
        _ range: String,
        token: String?,
        spreadsheet: String = GoogleSheetsStandIn.defaultSpreadsheetId
    )
        async throws -> StandInHTTPCall
    {
        let url = "\(sheets.baseURL)/v4/spreadsheets/\(spreadsheet)/values/\(StandInHTTPCall.pathEncoded(range))"
        return try await StandInHTTPCall.send("GET", url + "?majorDimension=ROWS&valueRenderOption=FORMATTED_VALUE", bearer: token)
    }

    @Test func windowsAreRaggedAndTrailingEmptiesOmitted() async throws {
        try await withSheets { sheets, token in
            let whole = try await read(sheets, "Leads!A1:Z10000", token: token)
            #expect(whole.status == 200)
            #expect(whole.field("range") == "Leads!A1:Z1000")
            #expect(whole.field("majorDimension") == "ROWS")
            let expected: JSONValue = [
                ["Full Name", "Email", "Phone Number"], ["Dana Levi", "dana@example.com", "050-1234567"], ["Avi Cohen"], [],
                ["Noa Katz", "noa@example.com"],
            ]
            #expect(whole.field("values") == expected)
            let clipped = try await read(sheets, "Leads!B2:B3", token: token)
            #expect(clipped.field("values") == [["dana@example.com"]])
            let firstTab = try await read(sheets, "A1:A2", token: token)
            #expect(firstTab.field("values") == [["Full Name"], ["Dana Levi"]])
            let past = try await read(sheets, "Leads!A6:Z10", token: token)
            #expect(past.status == 200 && past.field("values") == nil)
            let beyondGrid = try await read(sheets, "Leads!A10001:Z20000", token: token)
            #expect(beyondGrid.status == 400)
            #expect(sheets.reads.map(\.range) == ["Leads!A1:Z10000", "Leads!B2:B3", "A1:A2", "Leads!A6:Z10", "Leads!A10001:Z20000"])
        }
    }

    @Test func aQuotedHebrewTabIsReadAndEchoedQuoted() async throws {
        try await withSheets { sheets, token in
            let answer = try await read(sheets, "'תל אביב'!A:Z", token: token)
            #expect(answer.status == 200)
            #expect(answer.field("range") == "'תל אביב'!A1:Z1000")
            #expect(answer.field("values") == [["שם מלא", "טלפון"], ["דנה"]])
            #expect(sheets.reads.first?.path.contains("%D7%AA%D7%9C") == true)
        }
    }

    @Test func editsBetweenReadsShowInTheNextRead() async throws {
        try await withSheets { sheets, token in
            sheets.insertRow(["Inserted", "i@example.com"], at: 2, in: "Leads")
            sheets.deleteRow(4, in: "Leads")
            sheets.setCell(row: 3, column: 3, to: "052-0000000", in: "Leads")
            sheets.renameHeader("Phone Number", to: "Phone", in: "Leads")
            sheets.appendRows([["Late Lead", "late@example.com"]], to: "Leads")
            let answer = try await read(sheets, "Leads!A1:C10", token: token)
            let expected: JSONValue = [
                ["Full Name", "Email", "Phone"], ["Inserted", "i@example.com"], ["Dana Levi", "dana@example.com", "052-0000000"], [],
                ["Noa Katz", "noa@example.com"], [], ["Late Lead", "late@example.com"],
            ]
            #expect(answer.field("values") == expected)
        }
    }

    @Test func errorsAreGooglesAndModesSwitchBack() async throws {
        try await withSheets { sheets, token in
            let noToken = try await read(sheets, "Leads!A:Z", token: nil)
            #expect(noToken.status == 401 && noToken.field("error", "status") == "UNAUTHENTICATED")
            let unknownTab = try await read(sheets, "Nope!A:Z", token: token)
            #expect(unknownTab.status == 400 && unknownTab.field("error", "message") == "Unable to parse range: Nope!A:Z")
            #expect(try await read(sheets, "Leads!A:Z", token: token, spreadsheet: "no-such-sheet").status == 404)
            sheets.setAccess(.permissionDenied)
            let denied = try await read(sheets, "Leads!A:Z", token: token)
            #expect(denied.status == 403 && denied.field("error", "status") == "PERMISSION_DENIED")
            sheets.setAccess(.notFound)
            #expect(try await read(sheets, "Leads!A:Z", token: token).field("error", "status") == "NOT_FOUND")
            sheets.setAccess(.granted)
            sheets.rateLimitNextReads(2)
            let limited = try await read(sheets, "Leads!A:Z", token: token)
            #expect(limited.status == 429 && limited.field("error", "status") == "RESOURCE_EXHAUSTED")
            #expect(limited.field("error", "errors", "0", "reason") == "rateLimitExceeded")
            #expect(try await read(sheets, "Leads!A:Z", token: token).status == 429)
            #expect(try await read(sheets, "Leads!A:Z", token: token).status == 200)
            sheets.tokenEndpoint.expireAll()
            #expect(try await read(sheets, "Leads!A:Z", token: token).status == 401)
            #expect(sheets.readCount() == 8)
        }
    }
}
