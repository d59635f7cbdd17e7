import Logging
import ServiceLifecycle
import Synchronization

/// Enqueues committed deliveries on Redis after the HTTP answer has gone out. Request handlers
/// ``submit(_:)`` ids and return at once; this service sends everything submitted since its last
/// send as one pipeline, so under load many requests share a round trip to Redis.
/// When Redis is down the ids are marked `pending` in PostgreSQL, where the
/// worker's sweeper finds and enqueues them — nothing is lost either way.
public final class DeliveryEnqueuer: Service, Sendable {
    private let queue: DeliveryQueue
    private let logger: Logger
    private let bufferLimit: Int
    /// Ids sent in one pipeline at the most.
    private static let pipelineLimit = 5_000
    private let state = Mutex(State())

    private struct State: Sendable {
        var ids: [Int64] = []
        var sender: CheckedContinuation<Void, Never>?
        var finished = false
    }

    /// Creates an enqueuer holding at most `bufferLimit` ids in memory.
    public init(queue: DeliveryQueue, logger: Logger, bufferLimit: Int = 100_000) {
        self.queue = queue
        self.logger = logger
        self.bufferLimit = bufferLimit
    }

    /// Hands committed delivery ids over for enqueueing; never blocks and never fails the request.
    public func submit(_ deliveryIds: [Int64]) {
        guard !deliveryIds.isEmpty else { return }
        let (accepted, sender) = state.withLock { state -> (Bool, CheckedContinuation<Void, Never>?) in
            guard state.ids.count + deliveryIds.count <= bufferLimit else { return (false, nil) }
            state.ids.append(contentsOf: deliveryIds)
            defer { state.sender = nil }
            return (true, state.sender)
        }
        sender?.resume()
        if !accepted {
            logger.warning("enqueue buffer full; the sweeper will enqueue these deliveries", metadata: ["count": "\(deliveryIds.count)"])
        }
    }

    public func run() async throws {
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                while let ids = await nextIds() {
                    do {
                        try await queue.enqueue(ids)
                    } catch {
                        logger.warning(
                            "could not enqueue deliveries; they stay pending for the sweeper",
                            metadata: ["count": "\(ids.count)", "error": "\(error)"]
                        )
                    }
                }
            } onGracefulShutdown: {
                self.finish()
            }
        } onCancel: {
            self.finish()
        }
    }

    /// Sends what is left and stops.
    private func finish() {
        let sender = state.withLock { state in
            state.finished = true
            defer { state.sender = nil }
            return state.sender
        }
        sender?.resume()
    }

    /// Everything submitted so far (up to the pipeline limit), waiting for a submission when there
    /// is none; nil once shutdown began and everything was sent.
    private func nextIds() async -> [Int64]? {
        while true {
            let taken = state.withLock { state -> [Int64]?? in
                guard !state.ids.isEmpty else { return state.finished ? .some(nil) : .none }
                let count = min(state.ids.count, Self.pipelineLimit)
                defer { state.ids.removeFirst(count) }
                return .some(Array(state.ids.prefix(count)))
            }
            if let taken { return taken }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let wakeNow = state.withLock { state in
                    if !state.ids.isEmpty || state.finished { return true }
                    state.sender = continuation
                    return false
                }
                if wakeNow { continuation.resume() }
            }
        }
    }
}
