import Foundation

extension SourcePollStatus {
    /// One line on how polling goes as of `now`, for `leadctl source show` and the dashboard:
    /// `last polled 12 s ago, 3 new leads`, `error since 10:02 UTC: <reason>`, `never polled yet`.
    public func summary(now: Date) -> String {
        if state == .error {
            let since = errorSince.map { " since \(Self.clockText($0, now: now))" } ?? ""
            return "error\(since): \(errorReason ?? "unknown")"
        }
        guard let polled = lastPolledAt else { return "never polled yet" }
        var text = "last polled \(Self.agoText(from: polled, to: now))"
        if let run = runs.first {
            text += ", " + Self.counted(run.accepted, "new lead")
            if run.rejected > 0 { text += ", " + Self.counted(run.rejected, "row") + " rejected" }
            if run.outcome == .partial { text += " (partial: goes on at the next poll)" }
        }
        return text
    }

    /// When the next poll comes, as of `now`: `polling now (worker w-1)`, `next poll in 45 s`,
    /// `next poll due now`.
    public func nextPollText(now: Date) -> String {
        if let leaseHolder { return "polling now (worker \(leaseHolder))" }
        let seconds = nextPollAt.timeIntervalSince(now)
        return seconds < 1 ? "next poll due now" : "next poll in \(Self.durationText(seconds))"
    }

    /// `just now`, `12 s ago`, `5 min ago`, `3 h ago`, `2 days ago`.
    static func agoText(from past: Date, to now: Date) -> String {
        let seconds = now.timeIntervalSince(past)
        return seconds < 1 ? "just now" : "\(durationText(seconds)) ago"
    }

    /// A positive span in its largest whole unit: `12 s`, `5 min`, `3 h`, `2 days`.
    static func durationText(_ seconds: TimeInterval) -> String {
        let whole = Int(seconds)
        switch whole {
        case ..<60: return "\(whole) s"
        case ..<3_600: return "\(whole / 60) min"
        case ..<86_400: return "\(whole / 3_600) h"
        default: return counted(whole / 86_400, "day")
        }
    }

    /// `10:02 UTC` on `now`'s (UTC) day, else `2026-12-06 10:02 UTC`.
    static func clockText(_ instant: Date, now: Date) -> String {
        let parts = utcCalendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        let clock = String(format: "%02d:%02d UTC", parts.hour ?? 0, parts.minute ?? 0)
        guard !utcCalendar.isDate(instant, inSameDayAs: now) else { return clock }
        return String(format: "%04d-%02d-%02d ", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0) + clock
    }

    /// `2026-12-07 06:59:00` (UTC).
    static func timestampText(_ instant: Date) -> String {
        let parts = utcCalendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: instant)
        return String(
            format: "%04d-%02d-%02d %02d:%02d:%02d",
            parts.year ?? 0,
            parts.month ?? 0,
            parts.day ?? 0,
            parts.hour ?? 0,
            parts.minute ?? 0,
            parts.second ?? 0
        )
    }

    /// `1 new lead`, `3 new leads`, `no new leads`.
    static func counted(_ count: Int, _ noun: String) -> String {
        count == 0 ? "no \(noun)s" : "\(count) \(noun)\(count == 1 ? "" : "s")"
    }

    private static let utcCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        return calendar
    }()
}
