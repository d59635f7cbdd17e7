import Foundation

/// Durations in polling configs: a number of seconds (`60`) or text with a unit (`"60s"`, `"2m"`, `"1h"`).
public enum PollInterval {
    /// The seconds `value` stands for; nil when it is not a duration.
    public static func seconds(_ value: JSONValue) -> Int? {
        if case .number = value, let seconds = value.scalarText.flatMap({ Int($0) }) { return seconds }
        guard case .string(let text) = value else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let seconds = Int(trimmed) { return seconds }
        guard let unit = trimmed.last, let amount = Int(trimmed.dropLast()) else { return nil }
        switch unit {
        case "s": return amount
        case "m": return amount * 60
        case "h": return amount * 3_600
        default: return nil
        }
    }

    /// `config[key]` as seconds within `range`, `defaultSeconds` when absent.
    ///
    /// - Throws: ``StoreError/invalid(field:message:)`` naming `config.<key>`.
    static func seconds(
        _ config: [String: JSONValue],
        _ key: String,
        default defaultSeconds: Int,
        in range: ClosedRange<Int>
    ) throws(StoreError) -> Int {
        guard let value = config[key] else { return defaultSeconds }
        guard let seconds = seconds(value), range.contains(seconds) else {
            throw StoreError.invalid(
                field: "config.\(key)",
                message: "must be a duration from \(range.lowerBound) to \(range.upperBound) seconds (e.g. 60, \"60s\", \"2m\")"
            )
        }
        return seconds
    }
}
