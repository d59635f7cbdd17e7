import Foundation

/// A day of the week, numbered as Foundation's Gregorian calendar numbers them (Sunday = 1).
/// Written `sun`, `mon`, … `sat` in definitions.
public enum Weekday: Int, Sendable, Hashable, CaseIterable, Comparable, Codable, CustomStringConvertible {
    case sunday = 1
    case monday, tuesday, wednesday, thursday, friday, saturday

    /// `sun` … `sat`.
    public var shortName: String { ["sun", "mon", "tue", "wed", "thu", "fri", "sat"][rawValue - 1] }

    /// `Sun` … `Sat`.
    public var description: String { shortName.prefix(1).uppercased() + shortName.dropFirst() }

    /// `sun`, `Sunday`, `SUN`…; nil for anything else.
    public init?(name: String) {
        let lowered = name.trimmingCharacters(in: .whitespaces).lowercased()
        guard lowered.count >= 3, let day = Self.allCases.first(where: { lowered.hasPrefix($0.shortName) }) else { return nil }
        let full = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"][day.rawValue - 1]
        guard full.hasPrefix(lowered) else { return nil }
        self = day
    }

    public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let day = Weekday(name: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(text) is not a day like sun or mon"))
        }
        self = day
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(shortName)
    }

    /// `Sun–Thu`, `Mon, Wed, Fri`, or `every day`.
    static func describe(_ days: Set<Weekday>) -> String {
        let sorted = days.sorted()
        guard sorted.count < 7 else { return "every day" }
        guard let first = sorted.first, let last = sorted.last else { return "no day" }
        if sorted.count > 2, last.rawValue - first.rawValue == sorted.count - 1 { return "\(first)–\(last)" }
        return sorted.map(\.description).joined(separator: ", ")
    }
}
