import Synchronization

extension GoogleSheetsStandIn {
    /// Answers the next `count` authenticated reads with 429 `RESOURCE_EXHAUSTED` (Google's quota
    /// body), then serves again.
    public func rateLimitNextReads(_ count: Int) {
        state.withLock { $0.rateLimitedReads = count }
    }

    /// Reads still to be answered with 429.
    public var rateLimitedReadsLeft: Int { state.withLock { $0.rateLimitedReads } }

    /// Sets who may read `spreadsheetId`: `.permissionDenied` (403, not shared with the service
    /// account) or `.notFound` (404) until set back to `.granted`.
    public func setAccess(_ access: Access, for spreadsheetId: String = defaultSpreadsheetId) {
        state.withLock { $0.access[spreadsheetId] = access }
    }
}
