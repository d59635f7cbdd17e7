import Shared
import Synchronization

/// Tracks the deliveries a worker has in flight against its `WORKER_COUNT`, and lets the reader
/// wait for a slot to free up.
final class DeliverySlots: Sendable {
    let capacity: Int
    private let inFlight = Mutex<Set<Int64>>([])
    private let freed: AsyncStream<Void>
    private let freedContinuation: AsyncStream<Void>.Continuation

    init(capacity: Int) {
        self.capacity = capacity
        (freed, freedContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Slots free right now.
    var free: Int { capacity - inFlight.withLock { $0.count } }
    /// How many deliveries are in flight right now.
    var busy: Int { inFlight.withLock { $0.count } }
    /// The ids of the deliveries in flight.
    var ids: Set<Int64> { inFlight.withLock { $0 } }

    func acquire(_ deliveryId: Int64) {
        _ = inFlight.withLock { $0.insert(deliveryId) }
    }

    func release(_ deliveryId: Int64) {
        _ = inFlight.withLock { $0.remove(deliveryId) }
        freedContinuation.yield()
    }

    /// Returns once some slot was released since the last call (or at once if one was), or
    /// after `timeout`, whichever comes first.
    func waitForRelease(timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [freed] in
                var iterator = freed.makeAsyncIterator()
                _ = await iterator.next()
            }
            // Cancelled at nearly every call: an event-loop timer, not `Task.sleep` (see sleepOnEventLoop).
            group.addTask { try? await sleepOnEventLoop(for: timeout) }
            await group.next()
            group.cancelAll()
        }
    }
}
