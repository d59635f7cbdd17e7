import ArgumentParser
import Foundation

/// `--since 24h`, `7d`, `90m` or an ISO 8601 date/time, as a point in time.
struct SinceOption: ExpressibleByArgument, Sendable {
    let date: Date

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces).lowercased()
        if let unit = text.last, let amount = Double(text.dropLast()), amount >= 0 {
            let seconds: Double? =
                switch unit {
                case "m": amount * 60
                case "h": amount * 3_600
                case "d": amount * 86_400
                default: nil
                }
            if let seconds {
                date = Date().addingTimeInterval(-seconds)
                return
            }
        }
        if let parsed = try? Date(argument, strategy: .iso8601) {
            date = parsed
            return
        }
        if let day = try? Date(argument + "T00:00:00Z", strategy: .iso8601) {
            date = day
            return
        }
        return nil
    }
}
