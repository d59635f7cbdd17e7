import Foundation

/// One request to a ``GoogleSheetsStandIn``'s values endpoint.
public struct SheetsRead: Sendable, Equatable {
    /// The spreadsheet id from the path.
    public var spreadsheetId: String
    /// The range from the path, percent-decoded (`'תל אביב'!A1:Z10000`).
    public var range: String
    /// The path as sent (percent-encoded).
    public var path: String
    /// The query string, without `?`.
    public var query: String?
    /// The HTTP status answered.
    public var status: Int
    /// When the request arrived.
    public var receivedAt: Date
}
