import Foundation

/// A wall-clock time of day in some time zone, to the minute: `08:00`, `21:00`; `24:00` means the
/// end of the day (a window that runs until midnight).
public struct LocalTime: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Minutes since midnight, 0 through 1440.
    public let minutes: Int

    /// The hour (0–24).
    public var hour: Int { minutes / 60 }
    /// The minute (0–59).
    public var minute: Int { minutes % 60 }

    /// `hour`:`minute`; nil unless 00:00 ≤ it ≤ 24:00.
    public init?(hour: Int, minute: Int = 0) {
        guard (0...24).contains(hour), (0...59).contains(minute), hour < 24 || minute == 0 else { return nil }
        minutes = hour * 60 + minute
    }

    /// Parses `HH:MM` (`8:00`, `08:00`, `24:00`); nil for anything else.
    public init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) }), let hour = Int(parts[0]), let minute = Int(parts[1])
        else { return nil }
        self.init(hour: hour, minute: minute)
    }

    /// `08:00`.
    public var description: String { String(format: "%02d:%02d", hour, minute) }

    public static func < (lhs: LocalTime, rhs: LocalTime) -> Bool { lhs.minutes < rhs.minutes }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let time = LocalTime(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(text) is not a time like 08:00"))
        }
        self = time
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
