import Foundation
import Shared

/// When a failed delivery is tried again: the destination's own schedule (the Momence preset:
/// 1 h, 4 h, 24 h …), or exponential backoff from ``baseDelay`` doubling per attempt, capped at
/// 24 h, with ±20% jitter so that a burst of failures does not come back as one burst. A
/// destination's `Retry-After` / rate-limit hint is honoured when it asks for longer.
struct RetryPolicy: Sendable {
    static let baseDelay: Duration = .seconds(10)
    static let maximumDelay: Duration = .seconds(86_400)

    /// The delay before attempt `attemptsMade + 1`, given the destination's schedule and hint.
    static func delay(
        attemptsMade: Int,
        destination: Destination,
        hint: Duration?,
        jitter: Double = Double.random(in: 0.8...1.2)
    ) -> Duration {
        let planned: Duration
        if let schedule = destination.retryScheduleSeconds, !schedule.isEmpty {
            planned = .seconds(schedule[min(max(attemptsMade - 1, 0), schedule.count - 1)])
        } else {
            let exponent = min(max(attemptsMade - 1, 0), 20)
            planned = min(baseDelay * (1 << exponent), maximumDelay)
        }
        let jittered = min(planned * jitter, maximumDelay)
        guard let hint else { return jittered }
        return max(jittered, min(hint, .seconds(7 * 86_400)))
    }
}
