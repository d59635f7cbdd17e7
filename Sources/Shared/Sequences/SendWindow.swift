import Foundation

/// When a sequence may message a lead: from ``start`` to ``end`` local time in ``timeZone`` on
/// ``days``, except on ``blackoutDates`` (all in that zone's calendar, so 08:00 stays 08:00 on
/// both sides of a daylight-saving change).
///
/// A start that does not exist on some day (inside a spring-forward gap) opens at the first
/// instant after the gap; a repeated hour (the autumn change) uses its first occurrence.
public struct SendWindow: Sendable, Hashable, CustomStringConvertible {
    /// The zone the times and days are read in (IANA, e.g. `Asia/Jerusalem`).
    public let timeZone: TimeZone
    /// The first minute messages may go out.
    public let start: LocalTime
    /// The minute from which they may not (exclusive); `24:00` is midnight.
    public let end: LocalTime
    /// The days the window opens on.
    public let days: Set<Weekday>
    /// Days it stays closed (holidays), in the zone's calendar.
    public let blackoutDates: Set<LocalDate>
    /// Further windows, each in its own zone, that must be open at the same time: a Florida lead's
    /// 08:00–20:00 in the lead's zone when the sequence's window is in another
    /// (``restricted(to:)``). Empty for a window as defined.
    public internal(set) var limits: [SendWindow] = []

    /// The longest a search for the next opening looks ahead (a window open on at least one
    /// weekday opens within a week unless blackout dates cover it).
    static let searchDays = 400

    /// A window; it must open on at least one day, and `start` must be before `end`.
    ///
    /// - Throws: ``SequenceDefinitionError`` naming `window.start`, `window.days` or `time_zone`.
    public init(
        timeZone: TimeZone,
        start: LocalTime,
        end: LocalTime,
        days: Set<Weekday> = Set(Weekday.allCases),
        blackoutDates: Set<LocalDate> = []
    ) throws(SequenceDefinitionError) {
        guard start < end else {
            throw SequenceDefinitionError(field: "window.start", "\(start) must be before the end \(end) (windows over midnight are not supported)")
        }
        guard !days.isEmpty else { throw SequenceDefinitionError(field: "window.days", "the window must open on at least one day") }
        self.timeZone = timeZone
        self.start = start
        self.end = end
        self.days = days
        self.blackoutDates = blackoutDates
    }

    /// A window that is always open, in `timeZone` (a sequence without a window).
    public static func always(in timeZone: TimeZone) -> SendWindow {
        SendWindow(unchecked: timeZone, start: .midnight, end: .endOfDay)
    }

    /// A window that is known to be valid (00:00–24:00 every day).
    private init(unchecked timeZone: TimeZone, start: LocalTime, end: LocalTime) {
        self.timeZone = timeZone
        self.start = start
        self.end = end
        days = Set(Weekday.allCases)
        blackoutDates = []
    }

    /// The Gregorian calendar in ``timeZone``.
    var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    /// Whether a message may go out at `instant`.
    public func contains(_ instant: Date) -> Bool {
        guard let interval = opening(containingOrAfter: instant) else { return false }
        return interval.start <= instant
    }

    /// `instant` when the window is open then, else the next moment it opens; nil when it does
    /// not open within ``searchDays`` days (blackout dates cover every open day).
    public func nextOpening(atOrAfter instant: Date) -> Date? {
        guard let interval = opening(containingOrAfter: instant) else { return nil }
        return max(interval.start, instant)
    }

    /// The opening that contains `instant`, or else the first one after it: when this window and
    /// every one of its ``limits`` are open together.
    public func opening(containingOrAfter instant: Date) -> DateInterval? {
        guard !limits.isEmpty else { return ownOpening(containingOrAfter: instant) }
        let horizon = instant.addingTimeInterval(TimeInterval(Self.searchDays) * 86_400)
        var candidate = instant
        // Each pass either finds every window open at `candidate` or moves it to a later opening.
        while candidate < horizon {
            guard var together = ownOpening(containingOrAfter: candidate) else { return nil }
            if together.start > candidate {
                candidate = together.start
                continue
            }
            var movedTo: Date?
            for limit in limits {
                guard let opening = limit.opening(containingOrAfter: candidate) else { return nil }
                if opening.start > candidate {
                    movedTo = opening.start
                    break
                }
                together = DateInterval(start: max(together.start, opening.start), end: min(together.end, opening.end))
            }
            if let movedTo {
                candidate = movedTo
                continue
            }
            return together
        }
        return nil
    }

    /// This window's own opening (its zone, days and blackout dates; not its ``limits``) that
    /// contains `instant`, or else the first one after it.
    func ownOpening(containingOrAfter instant: Date) -> DateInterval? {
        let calendar = calendar
        let firstDay = calendar.startOfDay(for: instant)
        for offset in 0..<Self.searchDays {
            guard let day = calendar.date(byAdding: .day, value: offset, to: firstDay),
                let weekday = Weekday(rawValue: calendar.component(.weekday, from: day)), days.contains(weekday),
                !blackoutDates.contains(LocalDate(day, in: calendar)),
                let opens = moment(of: start, on: day, calendar: calendar),
                let closes = moment(of: end, on: day, calendar: calendar), opens < closes
            else { continue }
            if instant < closes { return DateInterval(start: opens, end: closes) }
        }
        return nil
    }

    /// The instant `time` happens on the day starting at `dayStart` (the first after a gap; the
    /// first of a repeated hour); `24:00` is the next day's start.
    func moment(of time: LocalTime, on dayStart: Date, calendar: Calendar) -> Date? {
        if time.minutes == 0 { return dayStart }
        if time.minutes == 24 * 60 { return calendar.date(byAdding: .day, value: 1, to: dayStart).map(calendar.startOfDay(for:)) }
        let found = calendar.nextDate(
            after: dayStart,
            matching: DateComponents(hour: time.hour, minute: time.minute, second: 0),
            matchingPolicy: .nextTime,
            repeatedTimePolicy: .first
        )
        guard let found, calendar.isDate(found, inSameDayAs: dayStart) else { return nil }
        return found
    }

    /// `08:00–21:00 Sun–Thu Asia/Jerusalem` (and `except 2025-04-13, …` when there are blackout
    /// dates, `and 08:00–20:00 every day America/New_York` for each limit).
    public var description: String {
        var text = "\(start)–\(end) \(Weekday.describe(days)) \(timeZone.identifier)"
        if !blackoutDates.isEmpty { text += " except " + blackoutDates.sorted().map(\.description).joined(separator: ", ") }
        for limit in limits { text += " and \(limit)" }
        return text
    }
}

extension LocalTime {
    /// 00:00.
    static let midnight = LocalTime(minutes: 0)
    /// 24:00.
    static let endOfDay = LocalTime(minutes: 24 * 60)

    private init(minutes: Int) { self.minutes = minutes }
}
