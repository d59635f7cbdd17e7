import Foundation
import NIOConcurrencyHelpers

/// Skips an optional check for a while after it failed, so that an outage of what it needs
/// (Redis, for the per-key rate limit) does not add its timeout to every request.
final class FailureBackoff: Sendable {
    private let pause: TimeInterval
    private let skipUntil = NIOLockedValueBox<Date>(.distantPast)

    /// Skips for `pause` seconds after each failure.
    init(pause: TimeInterval) {
        self.pause = pause
    }

    /// Whether the check should be skipped now.
    var isSkipping: Bool { skipUntil.withLockedValue { Date() < $0 } }

    /// Records a failure: the check is skipped for the next `pause` seconds.
    func recordFailure() {
        skipUntil.withLockedValue { $0 = Date().addingTimeInterval(pause) }
    }
}
