import Foundation
import PostgresNIO
import Shared

/// What one poll did, as stored in `poll_runs`: counts, rejected rows with their reasons (the
/// CSV importer's wording), notes, and how it ended.
struct PollRunRecord: Sendable {
    /// How a poll ended.
    enum Outcome: String, Sendable {
        /// Everything was read.
        case ok
        /// Stopped early (quota, shutdown, lost lease); the next poll goes on.
        case partial
        /// Nothing could be read; ``error`` says why.
        case error
    }

    var startedAt: Date
    var requests = 0
    var rowsRead = 0
    var newRows = 0
    var accepted = 0
    var duplicates = 0
    var rejected = 0
    var changed = 0
    var outcome: Outcome = .ok
    var error: String?
    /// The error shown as the source's state (configuration problems), nil when the source is fine.
    var errorState: String?
    /// Whether this poll took a changed sheet header as the new expected one.
    var acceptedHeader = false
    var notes: [String] = []
    /// The first ``maximumRejections`` rejected rows.
    var rejections: [ImportRowError] = []

    /// Rejected rows kept per run.
    static let maximumRejections = 100

    init(startedAt: Date) {
        self.startedAt = startedAt
    }

    /// Counts a written batch's outcomes; `rejection` describes the item at an index that was
    /// rejected for a reason.
    mutating func count(_ items: [PolledLeadWriter.Item], rejection: (Int, String) -> ImportRowError) {
        for (index, item) in items.enumerated() {
            switch item {
            case .accepted: accepted += 1
            case .duplicate: duplicates += 1
            case .rejected(let reason): reject(rejection(index, reason))
            }
        }
    }

    /// Records a rejected row.
    mutating func reject(_ rejection: ImportRowError) {
        rejected += 1
        if rejections.count < Self.maximumRejections { rejections.append(rejection) }
    }

    /// Ends the run as failed with `error`; `showAsState` also puts the source in the error state.
    mutating func fail(_ error: String, showAsState: Bool) {
        outcome = .error
        self.error = String(error.prefix(1_000))
        if showAsState { errorState = self.error }
    }

    /// The `poll_runs` row.
    func insert(sourceId: UUID, tenantId: UUID, workerId: String) -> PostgresQuery {
        let duration = max(0, Int(Date().timeIntervalSince(startedAt) * 1_000))
        let rejectionsJSON = JSONText.encode(rejections)
        return """
            INSERT INTO poll_runs (source_id, tenant_id, worker_id, started_at, duration_ms, requests, rows_read, new_rows,
                                   accepted, duplicates, rejected, changed, outcome, error, rejections, notes)
            VALUES (\(sourceId), \(tenantId), \(workerId), \(startedAt), \(duration), \(requests), \(rowsRead), \(newRows),
                    \(accepted), \(duplicates), \(rejected), \(changed), \(outcome.rawValue), \(error), \(rejectionsJSON)::jsonb, \(notes))
            """
    }

}
