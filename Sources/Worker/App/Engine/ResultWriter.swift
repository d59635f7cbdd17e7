import Foundation
import Logging
import PostgresNIO
import Shared
import Synchronization

/// Commits delivery results in batches: results that arrive while a commit is running are
/// written together by the next one (one statement for the rows and their attempt rows), then
/// acknowledged on the stream and, for retries, scheduled — with one Redis pipeline per batch.
/// A caller's ``commit(_:)`` returns once its result is durable.
final class ResultWriter: Sendable {
    private struct Waiting {
        var result: DeliveryResult
        var continuation: CheckedContinuation<Void, any Error>
    }

    private let store: WorkerDeliveryStore
    private let queue: DeliveryQueue
    private let logger: Logger
    private let waiting = Mutex<[Waiting]>([])
    private let wake: AsyncStream<Void>
    private let wakeContinuation: AsyncStream<Void>.Continuation
    /// Most results written by one statement.
    let batchLimit = 500

    init(store: WorkerDeliveryStore, queue: DeliveryQueue, logger: Logger) {
        self.store = store
        self.queue = queue
        self.logger = logger
        (wake, wakeContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Hands a result over and waits until it is committed (throws if the commit failed; the
    /// delivery then stays claimed and is recovered as a stale claim).
    func commit(_ result: DeliveryResult) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            waiting.withLock { $0.append(Waiting(result: result, continuation: continuation)) }
            wakeContinuation.yield()
        }
    }

    /// Writes batches until `finish()` is called and nothing is left.
    func run() async {
        for await _ in wake {
            while true {
                let batch = waiting.withLock { queue -> [Waiting] in
                    let taken = Array(queue.prefix(batchLimit))
                    queue.removeFirst(taken.count)
                    return taken
                }
                if batch.isEmpty { break }
                await write(batch)
            }
        }
        // Finished: fail anything that arrived after the last wake-up so no caller waits forever.
        let leftovers = waiting.withLock { queue -> [Waiting] in
            defer { queue = [] }
            return queue
        }
        if !leftovers.isEmpty { await write(leftovers) }
    }

    /// Stops ``run()`` once the queued results are written.
    func finish() {
        wakeContinuation.finish()
    }

    private func write(_ batch: [Waiting]) async {
        let results = batch.map(\.result)
        do {
            try await commitRetryingWhileUnavailable(results)
        } catch {
            logger.error(
                "could not commit delivery results; they will be recovered as stale claims",
                metadata: ["count": "\(batch.count)", "error": "\(String(reflecting: error))"]
            )
            for item in batch { item.continuation.resume(throwing: error) }
            return
        }
        await acknowledge(results)
        for item in batch { item.continuation.resume() }
    }

    /// Commits `results`; while PostgreSQL is unreachable (a restart, a failover) keeps trying with
    /// backoff instead of giving up, because a dropped result means the CRM call is made again
    /// once the claim goes stale. A deadlock or serialization failure (the statement was rolled
    /// back whole) is retried a few times. Other errors, and cancellation at shutdown, end the attempt.
    private func commitRetryingWhileUnavailable(_ results: [DeliveryResult]) async throws {
        var delay: Duration = .milliseconds(250)
        var conflicts = 0
        while true {
            do {
                return try await store.commit(results)
            } catch let error as PSQLError where DatabaseFailure(error) == .conflict && conflicts < 5 && !Task.isCancelled {
                conflicts += 1
                logger.warning(
                    "delivery results conflicted with a concurrent statement; committing again",
                    metadata: ["count": "\(results.count)", "attempt": "\(conflicts)"]
                )
                try await Task.sleep(for: .milliseconds(Int.random(in: 1...20) * conflicts))
            } catch  where DatabaseFailure(error) == .unavailable && !Task.isCancelled {
                let retryIn = delay.wholeMilliseconds
                logger.warning(
                    "PostgreSQL unavailable: holding delivery results until it is back",
                    metadata: ["count": "\(results.count)", "retry_in_ms": "\(retryIn)"]
                )
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
    }

    /// Acks (and deletes) the stream entries of committed results, schedules retries and puts
    /// handed-back deliveries on the stream again, with one pipeline. Failures only cost
    /// duplicates later (the claim makes them harmless) or a sweeper pass, never a lost delivery.
    private func acknowledge(_ results: [DeliveryResult]) async {
        var settlement = DeliveryQueue.Settlement()
        for result in results {
            switch result.disposition {
            case .retrying(let due, _):
                settlement.schedule(result.delivery.id, at: due)
            case .handedBack:
                settlement.handBack(result.delivery.id)
            case .succeeded, .dead, .skipped:
                break
            }
            settlement.acknowledge(result.delivery.entryIds)
        }
        do {
            try await queue.settle(settlement)
        } catch {
            logger.warning(
                "could not acknowledge committed deliveries on Redis; the sweeper and claim checks cover it",
                metadata: ["count": "\(results.count)", "error": "\(error)"]
            )
        }
    }
}
