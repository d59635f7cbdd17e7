import Foundation
import Shared

/// Instants and windows for the sequence time tests.
enum SequenceTimeFixtures {
    static let jerusalem = TimeZone(identifier: "Asia/Jerusalem") ?? .gmt
    static let newYork = TimeZone(identifier: "America/New_York") ?? .gmt

    /// `2025-03-27T18:30:00Z` as an instant.
    static func utc(_ text: String) -> Date {
        (try? Date(text, strategy: .iso8601)) ?? .distantPast
    }

    /// 08:00–21:00 every day (the seed rule) in `zone`, or on `days`.
    static func window(
        _ zone: TimeZone,
        _ start: String = "08:00",
        _ end: String = "21:00",
        days: Set<Weekday> = Set(Weekday.allCases)
    )
        throws -> SendWindow
    {
        try SendWindow(timeZone: zone, start: LocalTime(start) ?? .init(hour: 0)!, end: LocalTime(end) ?? .init(hour: 24)!, days: days)
    }
}
