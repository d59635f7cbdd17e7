import Foundation

/// One poll of a source, as the workers record it in `poll_runs`: what it read and what became of it.
public struct PollRun: Sendable, Hashable, Codable {
    /// How a poll ended (`poll_runs.outcome`).
    public enum Outcome: String, Sendable, Hashable, Codable {
        /// Read everything there was.
        case ok
        /// Stopped early (quota, shutdown); the next poll goes on from there.
        case partial
        /// Read nothing; ``PollRun/error`` says why.
        case error
    }

    /// A row (or record) that did not become a lead, with the same reasons a CSV import gives.
    public struct Rejection: Sendable, Hashable, Codable {
        /// The row number in the sheet, or the record's id, as text.
        public var row: String
        /// What is wrong, in words a user can act on.
        public var reason: String
        /// The row's cells by column name, as read.
        public var fields: [String: String]

        /// Creates a rejection.
        public init(row: String, reason: String, fields: [String: String]) {
            self.row = row
            self.reason = reason
            self.fields = fields
        }
    }

    public var id: Int64
    /// The worker that polled.
    public var workerId: String
    public var startedAt: Date
    public var finishedAt: Date
    public var durationMilliseconds: Int
    /// HTTP requests made to the provider.
    public var requests: Int
    /// Rows or records read.
    public var rowsRead: Int
    /// Of those, the ones not seen before.
    public var newRows: Int
    /// New leads.
    public var accepted: Int
    /// Rows that matched an existing lead.
    public var duplicates: Int
    public var rejected: Int
    /// Rows edited since they were read (recorded as changes on their leads).
    public var changed: Int
    public var outcome: Outcome
    public var error: String?
    /// The first rejected rows (up to 100).
    public var rejections: [Rejection]
    /// Remarks of the poll (a header accepted, a page cut short…).
    public var notes: [String]

    /// Creates a run.
    public init(
        id: Int64,
        workerId: String,
        startedAt: Date,
        finishedAt: Date,
        durationMilliseconds: Int,
        requests: Int = 0,
        rowsRead: Int = 0,
        newRows: Int = 0,
        accepted: Int = 0,
        duplicates: Int = 0,
        rejected: Int = 0,
        changed: Int = 0,
        outcome: Outcome,
        error: String? = nil,
        rejections: [Rejection] = [],
        notes: [String] = []
    ) {
        self.id = id
        self.workerId = workerId
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.durationMilliseconds = durationMilliseconds
        self.requests = requests
        self.rowsRead = rowsRead
        self.newRows = newRows
        self.accepted = accepted
        self.duplicates = duplicates
        self.rejected = rejected
        self.changed = changed
        self.outcome = outcome
        self.error = error
        self.rejections = rejections
        self.notes = notes
    }

    enum CodingKeys: String, CodingKey {
        case id, requests, accepted, duplicates, rejected, changed, outcome, error, rejections, notes
        case workerId = "worker_id"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case durationMilliseconds = "duration_ms"
        case rowsRead = "rows_read"
        case newRows = "new_rows"
    }
}
