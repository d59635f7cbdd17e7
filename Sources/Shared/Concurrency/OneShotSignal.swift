import Synchronization

/// A signal that is fired once and stays fired: ``wait()`` returns true at once after ``fire()``,
/// parks until it otherwise, and returns false when the waiting task is cancelled first.
public final class OneShotSignal: Sendable {
    private struct State {
        var fired = false
        var nextTicket: UInt64 = 0
        var parked: [UInt64: CheckedContinuation<Bool, Never>] = [:]
    }

    private let state = Mutex(State())

    /// A signal not fired yet.
    public init() {}

    /// Marks the signal fired and wakes every waiter.
    public func fire() {
        let woken = state.withLock { state in
            state.fired = true
            defer { state.parked = [:] }
            return Array(state.parked.values)
        }
        for waiter in woken { waiter.resume(returning: true) }
    }

    /// Returns true once ``fire()`` has been called, false if the task is cancelled first.
    public func wait() async -> Bool {
        let ticket = state.withLock { state in
            state.nextTicket += 1
            return state.nextTicket
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let answer: Bool? = state.withLock { state in
                    if state.fired { return true }
                    if Task.isCancelled { return false }
                    state.parked[ticket] = continuation
                    return nil
                }
                if let answer { continuation.resume(returning: answer) }
            }
        } onCancel: {
            state.withLock { $0.parked.removeValue(forKey: ticket) }?.resume(returning: false)
        }
    }
}
