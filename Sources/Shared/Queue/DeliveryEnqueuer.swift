import Logging
import ServiceLifecycle

/// Enqueues committed deliveries on Redis after the HTTP answer has gone out. Request handlers
/// ``submit(_:)`` ids and return at once; this service sends each submission as one pipeline.
/// When Redis is down the ids are marked `pending` in PostgreSQL, where the
/// worker's sweeper finds and enqueues them — nothing is lost either way.
public final class DeliveryEnqueuer: Service, Sendable {
    private let queue: DeliveryQueue
    private let logger: Logger
    private let stream: AsyncStream<[Int64]>
    private let continuation: AsyncStream<[Int64]>.Continuation

    /// Creates an enqueuer holding at most `bufferLimit` pending submissions in memory.
    public init(queue: DeliveryQueue, logger: Logger, bufferLimit: Int = 10_000) {
        self.queue = queue
        self.logger = logger
        (self.stream, self.continuation) = AsyncStream.makeStream(of: [Int64].self, bufferingPolicy: .bufferingOldest(bufferLimit))
    }

    /// Hands committed delivery ids over for enqueueing; never blocks and never fails the request.
    public func submit(_ deliveryIds: [Int64]) {
        guard !deliveryIds.isEmpty else { return }
        if case .dropped = continuation.yield(deliveryIds) {
            logger.warning("enqueue buffer full; the sweeper will enqueue these deliveries", metadata: ["count": "\(deliveryIds.count)"])
        }
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            for await ids in stream {
                do {
                    try await queue.enqueue(ids)
                } catch {
                    logger.warning("could not enqueue deliveries; they stay pending for the sweeper",
                                   metadata: ["count": "\(ids.count)", "error": "\(error)"])
                }
            }
        } onGracefulShutdown: {
            self.continuation.finish()
        }
    }
}
