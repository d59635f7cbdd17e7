import Foundation
import NIOConcurrencyHelpers

/// Skips an optional check for a while after it failed several times in a row, so that an
/// outage of what it needs (Redis, for the per-key rate limit) does not add its timeout to every
/// request, while one slow answer on a busy machine does not switch the check off.
final class FailureBackoff: Sendable {
    private struct State {
        var consecutiveFailures = 0
        var skipUntil = Date.distantPast
    }

    private let pause: TimeInterval
    private let threshold: Int
    private let state = NIOLockedValueBox(State())

    /// Skips for `pause` seconds once `threshold` checks in a row have failed.
    init(pause: TimeInterval, threshold: Int = 3) {
        self.pause = pause
        self.threshold = threshold
    }

    /// Whether the check should be skipped now.
    var isSkipping: Bool { state.withLockedValue { Date() < $0.skipUntil } }

    /// Records a failed check; the `threshold`-th in a row starts a pause.
    func recordFailure() {
        state.withLockedValue { state in
            state.consecutiveFailures += 1
            if state.consecutiveFailures >= threshold {
                state.skipUntil = Date().addingTimeInterval(pause)
                state.consecutiveFailures = 0
            }
        }
    }

    /// Records a check that worked.
    func recordSuccess() {
        state.withLockedValue { $0.consecutiveFailures = 0 }
    }
}
