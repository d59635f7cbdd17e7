import Foundation

extension PollRun {
    /// When it started, `2026-12-07 06:59:00` (UTC).
    public var startedText: String { SourcePollStatus.timestampText(startedAt) }

    /// How long it took: `350 ms`, `1.2 s`, `2 min`.
    public var durationText: String {
        switch durationMilliseconds {
        case ..<1_000: "\(durationMilliseconds) ms"
        case ..<60_000: String(format: "%.1f s", Double(durationMilliseconds) / 1_000)
        default: SourcePollStatus.durationText(Double(durationMilliseconds) / 1_000)
        }
    }

    /// `ok`, `partial`, or `error: <why>`.
    public var outcomeText: String {
        guard let error, !error.isEmpty else { return outcome.rawValue }
        return "\(outcome.rawValue): \(error)"
    }
}

extension PollRun.Rejection {
    /// `row 14: phone: not a phone number`; the reason alone when it names its row already
    /// (`Leads!A:Z row 14: …`) or there is no row.
    public var text: String { row.isEmpty || reason.contains("row \(row)") ? reason : "row \(row): \(reason)" }
}
