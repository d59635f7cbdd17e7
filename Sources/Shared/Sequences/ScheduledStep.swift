import Foundation

/// When a step will send: its nominal due time (the previous step's actual time plus the delay)
/// moved forward into the next opening of its send window. Stored in UTC; shown in UTC and in
/// the window's zone, with the window that was applied.
public struct ScheduledStep: Sendable, Hashable, CustomStringConvertible {
    /// The previous step's time plus the delay.
    public let nominal: Date
    /// When it sends: `nominal`, or the next opening of ``window`` after it.
    public let due: Date
    /// The window that was applied.
    public let window: SendWindow

    /// The step after a previous one at `previous`, delayed by `delay`, inside `window`; nil when
    /// the window never opens again (its blackout dates cover the next 400 days).
    public init?(after previous: Date, delay: StepDelay, window: SendWindow) {
        let nominal = delay.due(after: previous, in: window.timeZone)
        guard let due = window.nextOpening(atOrAfter: nominal) else { return nil }
        self.nominal = nominal
        self.due = due
        self.window = window
    }

    /// Whether the window moved the step.
    public var wasMoved: Bool { due != nominal }

    /// `2025-03-29T05:00:00Z`.
    public var dueUTC: String { Self.utcText(due) }

    /// `2025-03-29 08:00 +03:00 Asia/Jerusalem`.
    public var dueLocal: String { Self.localText(due, in: window.timeZone) }

    /// `2025-03-29T05:00:00Z (2025-03-29 08:00 +03:00 Asia/Jerusalem), window 08:00–21:00 every day Asia/Jerusalem;
    /// moved from 2025-03-28 21:30 +03:00 (outside the window)`.
    public var description: String {
        var text = "\(dueUTC) (\(dueLocal)), window \(window)"
        if wasMoved { text += "; moved from \(Self.localText(nominal, in: window.timeZone)) (outside the window)" }
        return text
    }

    /// `instant` as ISO 8601 UTC to the second.
    public static func utcText(_ instant: Date) -> String {
        instant.formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false).timeZone(separator: .omitted))
    }

    /// `instant` as `YYYY-MM-DD HH:MM ±HH:MM <zone>` in `timeZone`.
    public static func localText(_ instant: Date, in timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        let offset = timeZone.secondsFromGMT(for: instant)
        let sign = offset < 0 ? "-" : "+"
        let hours = abs(offset) / 3_600
        let minutes = abs(offset) % 3_600 / 60
        return String(
            format: "%04d-%02d-%02d %02d:%02d %@%02d:%02d %@",
            parts.year ?? 0,
            parts.month ?? 0,
            parts.day ?? 0,
            parts.hour ?? 0,
            parts.minute ?? 0,
            sign,
            hours,
            minutes,
            timeZone.identifier
        )
    }
}
