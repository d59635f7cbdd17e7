import Foundation

/// Shopmonkey's timestamps: ISO-8601 in UTC with milliseconds (`2026-12-07T06:41:35.123Z`),
/// compared at millisecond precision.
public enum ShopmonkeyTimestamp {
    /// `date` as Shopmonkey writes it (milliseconds truncated, never rounded up).
    public static func text(_ date: Date) -> String {
        let milliseconds = self.milliseconds(date)
        let seconds = Int64((Double(milliseconds) / 1_000).rounded(.down))
        let whole = Date.ISO8601FormatStyle().format(Date(timeIntervalSince1970: TimeInterval(seconds)))
        let fraction = String(format: "%03d", Int(milliseconds - seconds * 1_000))
        return whole.dropLast() + ".\(fraction)Z"
    }

    /// The instant an ISO-8601 text names (with or without a fraction, `Z` or an offset); nil when it is not one.
    public static func date(_ text: String) -> Date? {
        guard let dot = text.firstIndex(of: "."), text[..<dot].contains("T") else {
            return try? Date.ISO8601FormatStyle().parse(text)
        }
        let digits = text[text.index(after: dot)...].prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let whole = try? Date.ISO8601FormatStyle().parse(String(text[..<dot]) + text[digits.endIndex...]) else {
            return nil
        }
        let milliseconds = Int(String((digits + "00").prefix(3))) ?? 0
        return whole.addingTimeInterval(TimeInterval(milliseconds) / 1_000)
    }

    /// Milliseconds since 1970 (truncated): what comparisons use.
    public static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000).rounded(.down))
    }
}
