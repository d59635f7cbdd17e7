import Foundation

/// How long after the previous step (or the enrollment) a step is due, before the send window
/// moves it:
///
/// - `"after": "24h"`: elapsed time (`90s`, `30m`, `24h`, `2d` = 48 elapsed hours), the same number
///   of seconds on any day, so across a daylight-saving change the local time shifts by an hour;
/// - `"at": "next 10:00"`: the next time the sequence's zone's clocks show 10:00 (the calendar's
///   answer, never 24 × 3600 s added);
/// - no delay: at once.
public enum StepDelay: Sendable, Hashable, CustomStringConvertible {
    /// At once.
    case immediately
    /// This many seconds later.
    case elapsed(seconds: Int)
    /// The next time the zone's clocks show this time, strictly after the previous step.
    case nextLocalTime(LocalTime)

    /// The longest delay accepted: 365 days.
    public static let maximumSeconds = 365 * 86_400

    /// Parses an `after` value (`24h`, `30m`, `90s`, `2d`, `1h30m`, `0`).
    ///
    /// - Throws: ``SequenceDefinitionError`` for `field` when it is not such a duration.
    public init(after text: String, field: String) throws(SequenceDefinitionError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let invalid = SequenceDefinitionError(field: field, "\(text.debugDescription) is not a duration like 24h, 30m, 90s or 2d")
        if trimmed == "0" {
            self = .immediately
            return
        }
        var seconds = 0
        var number = ""
        for character in trimmed {
            if character.isASCII, character.isNumber {
                number.append(character)
                continue
            }
            guard let value = Int(number), number.count <= 7 else { throw invalid }
            switch character {
            case "s": seconds += value
            case "m": seconds += value * 60
            case "h": seconds += value * 3_600
            case "d": seconds += value * 86_400
            default: throw invalid
            }
            number = ""
        }
        guard number.isEmpty, !trimmed.isEmpty else { throw invalid }
        guard seconds <= Self.maximumSeconds else { throw SequenceDefinitionError(field: field, "\(text) is longer than 365 days") }
        self = seconds == 0 ? .immediately : .elapsed(seconds: seconds)
    }

    /// Parses an `at` value: `next 10:00` (or `10:00`).
    ///
    /// - Throws: ``SequenceDefinitionError`` for `field` when it is not such a time.
    public init(at text: String, field: String) throws(SequenceDefinitionError) {
        var trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if trimmed.hasPrefix("next ") { trimmed = String(trimmed.dropFirst(5)) }
        guard let time = LocalTime(trimmed), time.minutes < 24 * 60 else {
            throw SequenceDefinitionError(field: field, "\(text.debugDescription) is not a time like \"next 10:00\"")
        }
        self = .nextLocalTime(time)
    }

    /// When the step is due after a previous step at `previous`, before any window applies.
    public func due(after previous: Date, in timeZone: TimeZone) -> Date {
        switch self {
        case .immediately: return previous
        case .elapsed(let seconds): return previous.addingTimeInterval(TimeInterval(seconds))
        case .nextLocalTime(let time):
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            let next = calendar.nextDate(
                after: previous,
                matching: DateComponents(hour: time.hour, minute: time.minute, second: 0),
                matchingPolicy: .nextTime,
                repeatedTimePolicy: .first
            )
            return next ?? previous.addingTimeInterval(86_400)
        }
    }

    /// `after 24h`, `at next 10:00`, `at once`.
    public var description: String {
        switch self {
        case .immediately: "at once"
        case .elapsed(let seconds): "after " + Self.durationText(seconds)
        case .nextLocalTime(let time): "at next \(time)"
        }
    }

    /// `1d2h30m`, `24h`, `90s` → `1m30s`.
    static func durationText(_ seconds: Int) -> String {
        var rest = seconds
        var text = ""
        for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        // Whole days read better as hours up to two days: 24h, 48h.
        if seconds % 3_600 == 0, seconds <= 2 * 86_400 { return "\(seconds / 3_600)h" }
        return text.isEmpty ? "0s" : text
    }
}
