import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Group commit for the requests that are their own transaction (a webhook, a form post, a lead
/// API call): concurrent ``IntakeWrite``s share one `CALL record_intake(…)` and one COMMIT, and each
/// caller is answered with its own result after that COMMIT.
///
/// `lanes` writers each take everything waiting (up to `maximumLeads` leads) whenever they are
/// free; the writes that arrive while a lane's round trip is in flight form the next batch. When
/// writes arrive closer together than `linger` (a moving average of the gaps), a lane that finds
/// a lone write waiting holds it until a second one arrives or it has waited `linger`, so calls
/// carry two or more writes (PostgreSQL spends about 0.6 ms on a call of one webhook, 0.25 ms a
/// webhook on a call of four: `bench/intake-sql`). A batch of two or more goes at once, and when
/// writes arrive further apart (an idle or lightly loaded server) a lone write goes out at once
/// too. Nobody waits longer than `linger` plus one round trip for a lane.
///
/// A failed batch is written again one write at a time when the failure may belong to one write
/// (its data, a concurrent re-delivery), so no write fails because of a neighbour; when PostgreSQL
/// is unreachable every waiting caller gets the error (the edge answers 503).
///
/// Nothing waits on a stalled server past ``DatabaseUnavailable/timeLimit``: a caller whose time
/// limit passes while its write still waits for a lane takes it back (`CancellationError`), and a
/// lane gives up a batch whose call gets no answer within the limit by closing its connection
/// (each of the batch's callers gets ``DatabaseUnavailable``; whether the server stored it is then
/// unknown, and a retry is deduplicated).
///
/// Runs as a `Service` listed before the HTTP server: on graceful shutdown the server stops first,
/// then the lanes finish what is waiting and return.
public final class IntakeGroupCommit: Service, Sendable {
    /// How many batches may be in flight at once (each holds one connection while it runs).
    public let lanes: Int
    /// The most leads one batch carries; a single larger write goes alone.
    public let maximumLeads: Int
    /// How long a batch may be held for more writes while writes arrive at least this often.
    public let linger: Duration
    let postgres: PostgresClient
    let logger: Logger
    private let state = Mutex(State())

    private struct Waiting: Sendable {
        var id: UInt64
        var write: IntakeWrite
        var continuation: CheckedContinuation<IntakeWriteResult, any Error>
        var arrival: ContinuousClock.Instant
    }

    /// A lane waiting for writes: idle, or holding a lone write for company.
    private struct WaitingLane: Sendable {
        var id: UInt64
        var continuation: CheckedContinuation<Void, Never>
    }

    /// What became of a write handed to ``write(_:)``.
    private enum Queuing {
        case shutDown
        case cancelled
        /// Queued; the lane to wake (idle, or holding a lone write), if one waits.
        case queued(waitingLane: CheckedContinuation<Void, Never>?)
    }

    private struct State: Sendable {
        var waiting: [Waiting] = []
        /// Lanes to wake when a write arrives.
        var waitingLanes: [WaitingLane] = []
        var lastLaneWait: UInt64 = 0
        /// Set while ``run()`` runs: before and after, writes go out on their own.
        var running = false
        var finished = false
        var batches = 0
        var arrivals = ArrivalGap()
        var lastId: UInt64 = 0
    }

    /// Writes waiting for a lane now.
    public var waitingWrites: Int { state.withLock { $0.waiting.count } }
    /// Batches taken by the lanes so far (a batch written again one write at a time counts once).
    public var batchesTaken: Int { state.withLock { $0.batches } }

    /// A group commit over `postgres`.
    public init(
        postgres: PostgresClient,
        lanes: Int = 1,
        maximumLeads: Int = 2_000,
        linger: Duration = .zero,
        logger: Logger
    ) {
        self.postgres = postgres
        self.lanes = max(1, lanes)
        self.maximumLeads = max(1, maximumLeads)
        self.linger = max(.zero, linger)
        self.logger = logger
    }

    /// Writes `write` with whatever else is waiting; returns after the COMMIT that stored it.
    /// Before the service runs and after its shutdown began, writes go out on their own. A caller
    /// cancelled while its write still waits for a lane gets `CancellationError` and the write is
    /// not made; once a lane has taken it, the lane's own time limit bounds the wait.
    public func write(_ write: IntakeWrite) async throws -> IntakeWriteResult {
        let id = state.withLock { state in
            state.lastId &+= 1
            return state.lastId
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let queued = state.withLock { state -> Queuing in
                    guard state.running, !state.finished else { return .shutDown }
                    // Cancelled before it queued: the handler below found nothing to take back.
                    guard !Task.isCancelled else { return .cancelled }
                    let now = ContinuousClock.now
                    state.arrivals.record(now)
                    state.waiting.append(Waiting(id: id, write: write, continuation: continuation, arrival: now))
                    return .queued(waitingLane: state.waitingLanes.popLast()?.continuation)
                }
                switch queued {
                case .shutDown: continuation.resume(throwing: IntakeShutDown())
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .queued(let waitingLane): waitingLane?.resume()
                }
            }
        } onCancel: {
            let withdrawn = state.withLock { state -> Waiting? in
                guard let index = state.waiting.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiting.remove(at: index)
            }
            withdrawn?.continuation.resume(throwing: CancellationError())
        }
    }

    public func run() async throws {
        state.withLock { $0.running = true }
        defer { state.withLock { $0.running = false } }
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await withDiscardingTaskGroup { group in
                    for _ in 0..<lanes {
                        group.addTask { await self.runLane() }
                    }
                }
            } onGracefulShutdown: {
                self.finish()
            }
        } onCancel: {
            self.finish()
        }
    }

    /// Stops taking writes; the lanes write what is waiting and return.
    private func finish() {
        let lanes = state.withLock { state in
            state.finished = true
            defer { state.waitingLanes.removeAll() }
            return state.waitingLanes
        }
        for lane in lanes { lane.continuation.resume() }
    }

    private func runLane() async {
        while let batch = await nextBatch() {
            await commit(batch)
        }
    }

    /// While writes arrive closer together than ``linger``, holds a lone waiting write until a
    /// second one arrives, it has waited that long, or the service finishes.
    private func holdForMoreWrites() async {
        guard linger > .zero else { return }
        let deadline = state.withLock { state -> ContinuousClock.Instant? in
            guard !state.finished, state.waiting.count == 1, let lone = state.waiting.first, let gap = state.arrivals.average,
                gap < linger
            else { return nil }
            return lone.arrival + linger
        }
        guard let deadline else { return }
        let remaining = deadline - .now
        guard remaining > .zero else { return }
        await waitForWrites(beyond: 1, atMost: remaining)
    }

    /// Waits until more than `count` writes wait (or the service finishes); with `limit`, at most
    /// that long (an event-loop timer, like ``sleepOnEventLoop(for:on:)``).
    private func waitForWrites(beyond count: Int, atMost limit: Duration? = nil) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let id = state.withLock { state -> UInt64? in
                if state.finished || state.waiting.count > count { return nil }
                state.lastLaneWait &+= 1
                state.waitingLanes.append(WaitingLane(id: state.lastLaneWait, continuation: continuation))
                return state.lastLaneWait
            }
            guard let id else { return continuation.resume() }
            guard let limit else { return }
            // Not cancelled when a write comes first: it then finds nothing to wake.
            MultiThreadedEventLoopGroup.singleton.any().scheduleTask(in: TimeAmount(limit)) {
                let lane = self.state.withLock { state -> WaitingLane? in
                    guard let index = state.waitingLanes.firstIndex(where: { $0.id == id }) else { return nil }
                    return state.waitingLanes.remove(at: index)
                }
                lane?.continuation.resume()
            }
        }
    }

    /// The writes waiting now (up to ``maximumLeads`` leads, at least one write), waiting for one
    /// when there are none and holding a lone one for company under load; nil once finished and drained.
    private func nextBatch() async -> [Waiting]? {
        while true {
            await holdForMoreWrites()
            let taken = state.withLock { state -> [Waiting]?? in
                guard !state.waiting.isEmpty else { return state.finished ? .some(nil) : .none }
                var leads = 0
                var count = 0
                for waiting in state.waiting {
                    leads += waiting.write.leads.count
                    if count > 0 && leads > maximumLeads { break }
                    count += 1
                }
                defer {
                    state.waiting.removeFirst(count)
                    state.batches += 1
                }
                return .some(Array(state.waiting.prefix(count)))
            }
            if let taken { return taken }
            await waitForWrites(beyond: 0)
        }
    }

    private func commit(_ batch: [Waiting]) async {
        let intake = LeadIntake(postgres: postgres, logger: logger)
        let started = ContinuousClock.now
        defer { logger.trace("group commit", metadata: ["writes": "\(batch.count)", "elapsed": "\(ContinuousClock.now - started)"]) }
        if batch.count > 1 {
            do {
                let writes = batch.map(\.write)
                let results = try await withDatabaseTimeLimit { try await intake.record(writes) }
                for (waiting, result) in zip(batch, results) { waiting.continuation.resume(returning: result) }
                return
            } catch  where DatabaseUnavailable.describes(error) {
                for waiting in batch { waiting.continuation.resume(throwing: error) }
                return
            } catch {
                // The failure may belong to one write (its data, a concurrent re-delivery): write each alone.
                logger.info(
                    "a group commit failed; writing its requests one by one",
                    metadata: ["writes": "\(batch.count)", "error": "\(String(reflecting: error))"]
                )
            }
        }
        // Once PostgreSQL is found unavailable, the rest of the batch is not tried one by one (each
        // would wait out the time limit in turn).
        var unavailable: (any Error)?
        for waiting in batch {
            if let unavailable {
                waiting.continuation.resume(throwing: unavailable)
                continue
            }
            do {
                let write = waiting.write
                waiting.continuation.resume(returning: try await withDatabaseTimeLimit { try await intake.recordAlone(write) })
            } catch {
                if DatabaseUnavailable.describes(error) { unavailable = error }
                waiting.continuation.resume(throwing: error)
            }
        }
    }
}

/// A write arrived after the group commit shut down.
struct IntakeShutDown: Error, CustomStringConvertible {
    var description: String { "the intake is shutting down" }
}
