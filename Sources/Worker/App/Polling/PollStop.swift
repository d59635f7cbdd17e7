import Shared

/// Why a poll stopped before reading everything.
enum PollStop: Error, CustomStringConvertible {
    /// The Sheets API refused or failed.
    case sheets(GoogleSheetsError)
    /// Shopmonkey refused or failed.
    case shopmonkey(ShopmonkeyPollError)
    /// The shared read quota has no room for `after`.
    case throttled(after: Duration)
    /// Another worker holds the source's lease now.
    case leaseLost

    var description: String {
        switch self {
        case .sheets(let error): "\(error)"
        case .shopmonkey(let error): "\(error)"
        case .throttled(let after): "the read quota is spent; next read in \(after.components.seconds) s"
        case .leaseLost: "the lease was lost to another worker"
        }
    }
}
