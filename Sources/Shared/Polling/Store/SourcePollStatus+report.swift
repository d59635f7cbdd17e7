import Foundation

extension SourcePollStatus {
    /// The text `leadctl source show` adds for a polled source, as of `now`: the summary, the state
    /// in words, the next poll, the newest polls as a table and the newest poll's rejected rows.
    /// `pollCommand` is the command that polls the source now (named in the advice on errors).
    public func reportLines(now: Date, pollCommand: String) -> [String] {
        var lines = ["polling: \(summary(now: now))"]
        switch state {
        case .ok:
            lines.append("state: ok" + (lastSuccessAt.map { " (last success \(Self.timestampText($0)) UTC)" } ?? ""))
        case .error:
            let repeated = failures > 1 ? " (\(failures) failed polls in a row)" : ""
            lines.append("state: error\(repeated): \(errorReason ?? "unknown")")
            if isHeaderChange, !acceptHeaderPending {
                lines.append("  to take the sheet's new header as the expected one: \(pollCommand) --accept-header")
            }
        }
        if acceptHeaderPending { lines.append("the next poll takes the sheet's current header as the expected one") }
        lines.append("next poll: \(Self.timestampText(nextPollAt)) UTC (\(nextPollText(now: now)))")
        guard let newest = runs.first else {
            lines.append("no polls recorded yet")
            return lines
        }
        lines.append("last \(runs.count == 1 ? "poll" : "\(runs.count) polls"):")
        lines += Self.table(runs).map { "  " + $0 }
        if !newest.rejections.isEmpty {
            let more = newest.rejected > newest.rejections.count ? " (first \(newest.rejections.count) of \(newest.rejected))" : ""
            lines.append("rejected rows of the last poll\(more):")
            lines += newest.rejections.map { "  \($0.text)" }
        }
        return lines
    }

    /// The runs as text columns padded to line up, with a header line.
    static func table(_ runs: [PollRun]) -> [String] {
        let header = ["started (UTC)", "duration", "read", "new", "accepted", "duplicate", "rejected", "changed", "outcome"]
        let rows = runs.map { run in
            [run.startedText, run.durationText]
                + [run.rowsRead, run.newRows, run.accepted, run.duplicates, run.rejected, run.changed].map(String.init)
                + [run.outcomeText]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        return ([header] + rows).map { cells in
            cells.enumerated().map { column, cell in
                column == cells.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
    }
}
