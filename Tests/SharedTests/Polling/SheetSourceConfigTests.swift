import Shared
import Testing

@Suite("Sheet source config")
struct SheetSourceConfigTests {
    static let minimal: [String: JSONValue] = ["spreadsheet_id": "1AbC-d_E", "range": "Leads!A:Z"]

    static func config(_ changes: [String: JSONValue?]) throws(StoreError) -> SheetSourceConfig {
        var config = minimal
        for (key, value) in changes { config[key] = value }
        return try SheetSourceConfig(config)
    }

    /// The field a config with `changes` is rejected for (nil when it is accepted).
    static func rejectedField(_ changes: [String: JSONValue?]) -> String? {
        do {
            _ = try config(changes)
            return nil
        } catch {
            return error.invalidField ?? "\(error)"
        }
    }

    @Test func aMinimalConfigTakesTheDefaults() throws {
        let config = try SheetSourceConfig(Self.minimal)
        #expect(config.spreadsheetId == "1AbC-d_E")
        #expect(config.ranges.map(\.description) == ["'Leads'!A:Z"])
        #expect(config.headerRow == nil)
        #expect(config.pollInterval == 60)
        #expect(config.start == .beginning)
        #expect(config.sheetsBaseURL == "https://sheets.googleapis.com")
        #expect(config.sheetsBaseURL == SheetSourceConfig.defaultSheetsBaseURL)
        #expect(config.tokenURL == nil)
        #expect(config.pageRows == 10_000)
    }

    @Test func everySettingIsRead() throws {
        let config = try SheetSourceConfig([
            "spreadsheet_id": " 1AbC-d_E ", "ranges": ["Leads!A:Z", "'תל אביב'!A:Z", "'Jon''s data'!B2:F"], "header_row": 2,
            "poll_interval": "2m", "start_at": "now", "sheets_base_url": "http://127.0.0.1:8080/", "token_url": "http://127.0.0.1:8081/token",
            "page_rows": 500,
        ])
        #expect(config.spreadsheetId == "1AbC-d_E")
        #expect(config.ranges.map(\.description) == ["'Leads'!A:Z", "'תל אביב'!A:Z", "'Jon''s data'!B2:F"])
        #expect(config.headerRow == 2)
        #expect(config.pollInterval == 120)
        #expect(config.start == .now)
        #expect(config.sheetsBaseURL == "http://127.0.0.1:8080")
        #expect(config.tokenURL == "http://127.0.0.1:8081/token")
        #expect(config.pageRows == 500)
    }

    @Test func theHeaderRowIsTheRangesFirstRowUnlessConfigured() throws {
        let ranged = try Self.config(["range": nil, "ranges": ["Leads!A3:Z", "Other!A:Z"]])
        #expect(ranged.ranges.map { ranged.headerRow(of: $0) } == [3, 1])
        let configured = try Self.config(["range": nil, "ranges": ["Leads!A3:Z", "Other!A:Z"], "header_row": 5])
        #expect(configured.ranges.map { configured.headerRow(of: $0) } == [5, 5])
    }

    @Test(arguments: [(JSONValue.number(10), 10), ("10s", 10), (60, 60), ("1h", 3_600), (86_400, 86_400)])
    func thePollIntervalIsAtLeastTenSeconds(value: JSONValue, seconds: Int) throws {
        #expect(try Self.config(["poll_interval": value]).pollInterval == seconds)
    }

    @Test(
        arguments: [
            // Unknown keys are named.
            (["rnage": "Leads!A:Z"], "config.rnage"),
            (["service_account": "{}"], "config.service_account"),
            // The spreadsheet.
            (["spreadsheet_id": nil], "config.spreadsheet_id"),
            (["spreadsheet_id": ""], "config.spreadsheet_id"),
            (["spreadsheet_id": 12], "config.spreadsheet_id"),
            (["spreadsheet_id": "https://docs.google.com/spreadsheets/d/1AbC/edit"], "config.spreadsheet_id"),
            // Ranges: one of range/ranges, non-empty, parseable, distinct.
            (["range": nil], "config.ranges"),
            (["range": nil, "ranges": []], "config.ranges"),
            (["ranges": ["Other!A:Z"]], "config.ranges"),
            (["range": nil, "ranges": "Leads!A:Z"], "config.ranges"),
            (["range": nil, "ranges": [1]], "config.ranges"),
            (["range": ["Leads!A:Z"]], "config.ranges"),
            (["range": "Leads!A1"], "config.ranges"),
            (["range": nil, "ranges": ["Leads!A:Z", "'Leads'!A1:Z"]], "config.ranges"),
            // Numbers in bounds.
            (["header_row": 0], "config.header_row"),
            (["header_row": 1_001], "config.header_row"),
            (["header_row": "first"], "config.header_row"),
            (["poll_interval": 9], "config.poll_interval"),
            (["poll_interval": "5s"], "config.poll_interval"),
            (["poll_interval": 86_401], "config.poll_interval"),
            (["poll_interval": "often"], "config.poll_interval"),
            (["poll_interval": 30.5], "config.poll_interval"),
            (["page_rows": 99], "config.page_rows"),
            (["page_rows": 50_001], "config.page_rows"),
            // A sheet starts at the beginning or now, not at a date.
            (["start_at": "2026-12-01T00:00:00Z"], "config.start_at"),
            (["start_at": "later"], "config.start_at"),
            // URLs.
            (["sheets_base_url": "ftp://example.com"], "config.sheets_base_url"),
            (["sheets_base_url": "sheets.googleapis.com"], "config.sheets_base_url"),
            (["token_url": "not a url"], "config.token_url"),
            (["token_url": ""], "config.token_url"),
        ] as [([String: JSONValue?], String)]
    )
    func aBadSettingIsRejectedNamingIt(changes: [String: JSONValue?], field: String) {
        #expect(Self.rejectedField(changes) == field)
    }

    @Test func theUnknownKeyErrorListsTheKnownKeys() {
        let error = #expect(throws: StoreError.self) { try Self.config(["polling_interval": 60]) }
        #expect(error?.invalidMessage?.contains("poll_interval") == true)
        #expect(error?.invalidMessage?.contains("spreadsheet_id") == true)
    }

    @Test(arguments: [100, 50_000])
    func pageRowsMayBeAnywhereFromAHundredToFiftyThousand(rows: Int) throws {
        #expect(try Self.config(["page_rows": .number(JSONNumber(rows))]).pageRows == rows)
    }
}
