import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Group commit for the requests that are their own transaction (a webhook, a form post, a lead
/// API call): concurrent ``IntakeWrite``s share one `CALL record_intake(…)` and one COMMIT, and each
/// caller is answered with its own result after that COMMIT.
///
/// `lanes` writers each take everything waiting (up to `maximumLeads` leads) whenever they are
/// free; the writes that arrive while a lane's round trip is in flight form the next batch. When
/// writes arrive closer together than `linger` (a moving average of the gaps), a lane holds a
/// batch until its oldest write has waited `linger`, so more writes share the call and its COMMIT;
/// when they arrive further apart (an idle or lightly loaded server) a write goes out at once.
/// Nobody waits longer than `linger` plus one round trip for a lane.
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

    /// What became of a write handed to ``write(_:)``.
    private enum Queuing {
        case shutDown
        case cancelled
        /// Queued; the idle lane to wake, if one waits.
        case queued(idleLane: CheckedContinuation<Void, Never>?)
    }

    private struct State: Sendable {
        var waiting: [Waiting] = []
        var idleLanes: [CheckedContinuation<Void, Never>] = []
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
                    return .queued(idleLane: state.idleLanes.popLast())
                }
                switch queued {
                case .shutDown: continuation.resume(throwing: IntakeShutDown())
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .queued(let idleLane): idleLane?.resume()
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
            defer { state.idleLanes.removeAll() }
            return state.idleLanes
        }
        for lane in lanes { lane.resume() }
    }

    private func runLane() async {
        while let batch = await nextBatch() {
            await commit(batch)
        }
    }

    /// While writes arrive closer together than ``linger``, waits until the oldest waiting write
    /// has waited that long (or the service finishes), so the next batch carries more writes.
    private func holdForMoreWrites() async {
        guard linger > .zero else { return }
        let deadline = state.withLock { state -> ContinuousClock.Instant? in
            guard !state.finished, let oldest = state.waiting.first, let gap = state.arrivals.average, gap < linger else {
                return nil
            }
            return oldest.arrival + linger
        }
        guard let deadline, deadline > .now else { return }
        try? await Task.sleep(until: deadline, clock: .continuous)
    }

    /// The writes waiting now (up to ``maximumLeads`` leads, at least one write), waiting for one
    /// when there are none and holding them for ``linger`` under load; nil once finished and drained.
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
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let wakeNow = state.withLock { state in
                    if !state.waiting.isEmpty || state.finished { return true }
                    state.idleLanes.append(continuation)
                    return false
                }
                if wakeNow { continuation.resume() }
            }
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
