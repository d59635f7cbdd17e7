import Foundation

/// Where a polling source's first poll begins.
public enum PollStart: Sendable, Hashable {
    /// Everything already there becomes leads (a sheet's existing rows; every Shopmonkey customer).
    case beginning
    /// Only what arrives from the first poll on: existing rows are recorded as read, not imported
    /// (the usual choice when switching from another monitor).
    case now
    /// Shopmonkey records updated since this time.
    case since(Date)

    /// `config["start_at"]`: `"beginning"`, `"now"` or (when `allowsDate`) an ISO 8601 time.
    ///
    /// - Throws: ``StoreError/invalid(field:message:)`` naming `config.start_at`.
    static func parse(_ config: [String: JSONValue], default defaultStart: PollStart, allowsDate: Bool) throws(StoreError) -> PollStart {
        guard let value = config["start_at"] else { return defaultStart }
        switch value.scalarText {
        case "beginning": return .beginning
        case "now": return .now
        case let text? where allowsDate:
            if let date = ShopmonkeyTime.date(text) { return .since(date) }
            let dateOnly = ISO8601DateFormatter()
            dateOnly.formatOptions = [.withFullDate]
            if let date = dateOnly.date(from: text) { return .since(date) }
        default: break
        }
        throw StoreError.invalid(
            field: "config.start_at",
            message: allowsDate ? "must be \"beginning\", \"now\" or an ISO 8601 time" : "must be \"beginning\" or \"now\""
        )
    }
}
