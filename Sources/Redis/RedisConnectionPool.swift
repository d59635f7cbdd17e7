import NIOCore
import Synchronization

/// A fixed number of connection slots, handed out one at a time.
///
/// ``acquire()`` returns an idle connection, or `nil` meaning "an empty slot: connect
/// yourself", or — when all slots are leased — suspends the caller on a continuation
/// (no thread is blocked) until ``release(_:)`` hands a slot over. Every successful
/// `acquire()` must be paired with exactly one `release(_:)`.
///
/// A waiter that is cancelled is removed from the queue and throws
/// `CancellationError`; a slot handed to it is never lost, because the hand-off
/// happens under the lock that also removes cancelled waiters.
final class RedisConnectionPool: Sendable {
    private struct Waiter {
        var id: UInt64
        var continuation: CheckedContinuation<RedisConnection?, any Error>
    }

    private struct State {
        var idle: [RedisConnection] = []
        var leased = 0
        var waiters = CircularBuffer<Waiter>()
        var nextWaiterID: UInt64 = 0
        var isClosed = false
    }

    /// The number of slots (the most connections open at once).
    let capacity: Int
    private let state = Mutex(State())
    private let closedError: @Sendable () -> any Error

    /// A pool of `capacity` slots; `closedError` is thrown by `acquire()` once closed.
    init(capacity: Int, closedError: @escaping @Sendable () -> any Error) {
        self.capacity = max(1, capacity)
        self.closedError = closedError
    }

    /// Takes a slot: an idle connection, or `nil` for an empty slot the caller fills by
    /// connecting. Waits asynchronously while every slot is leased.
    ///
    /// - Throws: `CancellationError` if the task is cancelled while waiting, or the
    ///   pool's closed error after ``close()``.
    func acquire() async throws -> RedisConnection? {
        let id = self.state.withLock { state in
            state.nextWaiterID &+= 1
            return state.nextWaiterID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<RedisConnection?, any Error>) in
                enum Outcome {
                    case slot(RedisConnection?)
                    case fail(any Error)
                    case wait
                }
                let outcome: Outcome = self.state.withLock { state in
                    if state.isClosed {
                        return .fail(self.closedError())
                    }
                    if Task.isCancelled {
                        return .fail(CancellationError())
                    }
                    if let connection = state.idle.popLast() {
                        state.leased += 1
                        return .slot(connection)
                    }
                    if state.leased + state.idle.count < self.capacity {
                        state.leased += 1
                        return .slot(nil)
                    }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return .wait
                }
                switch outcome {
                case .slot(let connection):
                    continuation.resume(returning: connection)
                case .fail(let error):
                    continuation.resume(throwing: error)
                case .wait:
                    break
                }
            }
        } onCancel: {
            let waiter: Waiter? = self.state.withLock { state in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else {
                    return nil  // not queued yet (acquire will see the cancellation) or already served
                }
                return state.waiters.remove(at: index)
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Returns a slot taken with ``acquire()``. Pass the connection to keep it for
    /// reuse, or `nil` when it was broken or never established. Broken connections,
    /// and any connection released after ``close()``, are closed.
    func release(_ connection: RedisConnection?) {
        var connection = connection
        if let candidate = connection, candidate.isBroken {
            candidate.close()
            connection = nil
        }
        enum Outcome {
            case handOver(Waiter, RedisConnection?)
            case close(RedisConnection)
            case done
        }
        let outcome: Outcome = self.state.withLock { state in
            if state.isClosed {
                state.leased -= 1
                return connection.map { .close($0) } ?? .done
            }
            if let waiter = state.waiters.popFirst() {
                return .handOver(waiter, connection)
            }
            state.leased -= 1
            if let connection {
                state.idle.append(connection)
            }
            return .done
        }
        switch outcome {
        case .handOver(let waiter, let connection):
            waiter.continuation.resume(returning: connection)
        case .close(let connection):
            connection.close()
        case .done:
            break
        }
    }

    /// Closes the pool: closes idle connections, fails every waiter with the closed
    /// error, and makes later `acquire()` calls fail. Leased connections are closed
    /// when they are released. Idempotent.
    func close() {
        let (idle, waiters) = self.state.withLock { state in
            state.isClosed = true
            let idle = state.idle
            state.idle.removeAll()
            let waiters = Array(state.waiters)
            state.waiters.removeAll()
            return (idle, waiters)
        }
        for connection in idle {
            connection.close()
        }
        for waiter in waiters {
            waiter.continuation.resume(throwing: self.closedError())
        }
    }

    /// Counts for tests and diagnostics: connections idle, slots leased, callers waiting.
    var statistics: (idle: Int, leased: Int, waiting: Int) {
        self.state.withLock { ($0.idle.count, $0.leased, $0.waiters.count) }
    }
}
