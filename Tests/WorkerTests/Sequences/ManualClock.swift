import Foundation
import Synchronization

/// A clock a test sets and moves by hand, for ``DeliveryEngineTuning/clock``.
final class ManualClock: Sendable {
    private let instant: Mutex<Date>

    init(_ start: Date) { instant = Mutex(start) }

    /// The clock's current time.
    var now: Date { instant.withLock { $0 } }

    /// Sets the clock to `date`.
    func set(_ date: Date) { instant.withLock { $0 = date } }
}
