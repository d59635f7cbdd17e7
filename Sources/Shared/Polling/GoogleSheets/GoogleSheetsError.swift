/// Why a Sheets read failed, in words an operator can act on; never carries a token or key.
public enum GoogleSheetsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 429 `RESOURCE_EXHAUSTED`: the project's or the account's read quota is spent for now.
    case rateLimited(String)
    /// 403/404: the sheet is not shared with the service account, or the id is wrong. Polling
    /// goes on at its interval and resumes by itself once that is fixed.
    case notAccessible(status: Int, message: String)
    /// 400: the range cannot be read (e.g. the tab was renamed).
    case badRange(String)
    /// 401 after a fresh token: Google does not accept the account's tokens.
    case unauthorized(String)
    /// No token could be had.
    case token(GoogleTokenError)
    /// 5xx, a timeout, a connection failure, an unreadable answer: try again later.
    case unavailable(String)

    /// Whether the source should show an error state (not just a failed poll that retries soon).
    public var isConfigurationProblem: Bool {
        switch self {
        case .notAccessible, .badRange, .unauthorized: true
        case .token(let error): !error.isRetryable
        case .rateLimited, .unavailable: false
        }
    }

    public var description: String {
        switch self {
        case .rateLimited(let message): "Google Sheets quota exceeded (429 RESOURCE_EXHAUSTED): \(message)"
        case .notAccessible(let status, let message):
            "the spreadsheet cannot be read (HTTP \(status): \(message)); share it with the service account's email "
                + "(Viewer is enough) and check the spreadsheet_id"
        case .badRange(let message): "the range cannot be read (\(message)); check the tab names in config.ranges"
        case .unauthorized(let message): "Google does not accept the service account's token (401: \(message))"
        case .token(let error): "\(error)"
        case .unavailable(let message): "Google Sheets is unavailable: \(message)"
        }
    }
}
