import Foundation
import PostgresNIO

extension SourcePollStore {
    /// The newest `limit` polls of `sourceId`, newest first.
    func recentRuns(sourceId: UUID, limit: Int) async throws -> [PollRun] {
        guard limit > 0 else { return [] }
        let rows = try await client.query(
            """
            SELECT id, worker_id, started_at, finished_at, duration_ms, requests, rows_read, new_rows, accepted, duplicates,
                rejected, changed, outcome, error, rejections::text, notes
            FROM poll_runs WHERE source_id = \(sourceId) ORDER BY started_at DESC, id DESC LIMIT \(limit)
            """,
            logger: logger
        )
        var runs: [PollRun] = []
        for try await row in rows {
            let (
                id, worker, started, finished, duration, requests, read, new, accepted, duplicates, rejected, changed, outcome, error, rejections,
                notes
            ) =
                try row.decode((Int64, String, Date, Date, Int, Int, Int, Int, Int, Int, Int, Int, String, String?, String, [String]).self)
            runs.append(
                PollRun(
                    id: id,
                    workerId: worker,
                    startedAt: started,
                    finishedAt: finished,
                    durationMilliseconds: duration,
                    requests: requests,
                    rowsRead: read,
                    newRows: new,
                    accepted: accepted,
                    duplicates: duplicates,
                    rejected: rejected,
                    changed: changed,
                    outcome: PollRun.Outcome(rawValue: outcome) ?? .error,
                    error: error,
                    rejections: PollRun.Rejection.decodeList(rejections),
                    notes: notes
                )
            )
        }
        return runs
    }
}
