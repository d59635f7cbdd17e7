/// A `sheet` source's settings, read from `sources.config` (see docs/google-sheets.md):
/// `spreadsheet_id`, `ranges` (or `range`), `header_row`, `poll_interval`, `start_at`,
/// `sheets_base_url`, `token_url`, `page_rows`. The service-account key is a secret.
public struct SheetSourceConfig: Sendable, Hashable {
    /// The id in the sheet's URL: `https://docs.google.com/spreadsheets/d/<id>/edit`.
    public var spreadsheetId: String
    /// The tabs/ranges read, in order; each row of each becomes a lead once.
    public var ranges: [SheetRange]
    /// The 1-based row holding the column names; nil: each range's first row.
    public var headerRow: Int?
    /// Seconds between polls (default 60, minimum 10).
    public var pollInterval: Int
    /// Whether the first poll imports existing rows.
    public var start: PollStart
    /// The Sheets API (tests point it at a stand-in).
    public var sheetsBaseURL: String
    /// Where assertions are exchanged for tokens; nil: the key's own `token_uri`.
    public var tokenURL: String?
    /// Rows per `values.get` request.
    public var pageRows: Int

    /// The Sheets API's public base URL.
    public static let defaultSheetsBaseURL = "https://sheets.googleapis.com"
    /// The keys a sheet source's config may have.
    static let keys: Set<String> = [
        "spreadsheet_id", "ranges", "range", "header_row", "poll_interval", "start_at", "sheets_base_url", "token_url", "page_rows",
    ]

    /// Reads and checks `config`.
    ///
    /// - Throws: ``StoreError/invalid(field:message:)`` naming the field.
    public init(_ config: [String: JSONValue]) throws(StoreError) {
        if let unknown = config.keys.sorted().first(where: { !Self.keys.contains($0) }) {
            throw StoreError.invalid(
                field: "config.\(unknown)",
                message: "is not a sheet source setting (known: \(Self.keys.sorted().joined(separator: ", ")))"
            )
        }
        guard let id = try PollingConfigText.optional(config, "spreadsheet_id") else {
            throw StoreError.invalid(field: "config.spreadsheet_id", message: "is required (the id in the sheet's URL, …/spreadsheets/d/<id>/edit)")
        }
        guard id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw StoreError.invalid(field: "config.spreadsheet_id", message: "must be the id from the sheet's URL (letters, digits, - and _)")
        }
        spreadsheetId = id
        var texts: [String] = []
        switch (config["ranges"], config["range"]) {
        case (.array(let values)?, nil):
            for value in values {
                guard case .string(let text) = value else { throw StoreError.invalid(field: "config.ranges", message: "must be a list of A1 ranges") }
                texts.append(text)
            }
        case (nil, .string(let text)?): texts = [text]
        case (nil, nil): texts = []
        default:
            throw StoreError.invalid(field: "config.ranges", message: "give either ranges (a list) or range (one), as A1 text like \"Leads!A:Z\"")
        }
        guard !texts.isEmpty else { throw StoreError.invalid(field: "config.ranges", message: "is required, e.g. [\"Leads!A:Z\"]") }
        ranges = try texts.map { text throws(StoreError) in try SheetRange(text) }
        guard Set(ranges.map(\.description)).count == ranges.count else {
            throw StoreError.invalid(field: "config.ranges", message: "names the same range twice")
        }
        if let value = config["header_row"] {
            guard let row = value.scalarText.flatMap({ Int($0) }), (1...1_000).contains(row) else {
                throw StoreError.invalid(field: "config.header_row", message: "must be a row number from 1 to 1000")
            }
            headerRow = row
        }
        pollInterval = try PollInterval.seconds(config, "poll_interval", default: 60, in: 10...86_400)
        start = try PollStart.parse(config, default: .beginning, allowsDate: false)
        sheetsBaseURL = try PollingConfigText.baseURL(config, "sheets_base_url", default: Self.defaultSheetsBaseURL)
        tokenURL = try config["token_url"] == nil ? nil : PollingConfigText.baseURL(config, "token_url", default: "")
        if let value = config["page_rows"] {
            guard let rows = value.scalarText.flatMap({ Int($0) }), (100...50_000).contains(rows) else {
                throw StoreError.invalid(field: "config.page_rows", message: "must be a whole number from 100 to 50000")
            }
            pageRows = rows
        } else {
            pageRows = 10_000
        }
    }

    /// The header row of `range`.
    public func headerRow(of range: SheetRange) -> Int { headerRow ?? range.firstRow }
}
