import Logging
import PostgresNIO
import ServiceLifecycle
import Shared

/// Repairs the queue from PostgreSQL (``DeliveryQueue/repair(pendingGrace:lostQueuedGrace:)``)
/// and closes imports whose upload died. Every worker runs one, but only the elected one sweeps:
/// the holder of a PostgreSQL advisory lock, every ``DeliveryEngineTuning/sweepEvery`` while it
/// lives; the others try to take the lock as often.
struct QueueSweeper: Service {
    let queue: DeliveryQueue
    let stores: DataStores
    let tuning: DeliveryEngineTuning
    let startup: WorkerStartup
    let logger: Logger
    /// Advisory lock key of the sweeper leader ("LRSWEEP").
    static let leaderLockKey: Int64 = 0x4C52_5357_4545_50

    func run() async {
        await startup.whenReady {
            await compete()
        }
    }

    /// One sweep. Returns how many deliveries it put back in the queue.
    @discardableResult
    func sweep() async throws -> Int {
        let repaired = try await queue.repair(pendingGrace: tuning.pendingGrace, lostQueuedGrace: tuning.lostQueuedGrace)
        // Imports whose upload died with a web process: say so instead of "receiving" forever.
        let abandoned = try await ImportStore(client: stores.postgres, logger: logger).failAbandoned(idleFor: .seconds(600))
        if abandoned > 0 { logger.warning("closed imports whose upload stopped", metadata: ["count": "\(abandoned)"]) }
        if repaired > 0 { logger.info("sweeper repaired the queue", metadata: ["deliveries": "\(repaired)"]) }
        return repaired
    }

    /// Competes for the sweeper lock; the winner sweeps until cancelled.
    private func compete() async {
        while !Task.isCancelled {
            do {
                try await stores.postgres.withConnection { connection in
                    var leader = false
                    for try await locked in try await connection.query(
                        "SELECT pg_try_advisory_lock(\(Self.leaderLockKey))",
                        logger: logger
                    ).decode(Bool.self) {
                        leader = locked
                    }
                    guard leader else { return }
                    logger.info("this worker is the sweeper leader")
                    defer { logger.info("sweeper leadership released") }
                    while !Task.isCancelled {
                        do {
                            try await sweep()
                        } catch  where !Task.isCancelled {
                            logger.warning("sweep failed", metadata: ["error": "\(error)"])
                        } catch {
                            break
                        }
                        try? await Task.sleep(for: tuning.sweepEvery)
                    }
                    try? await connection.execute("SELECT pg_advisory_unlock(\(Self.leaderLockKey))", logger: logger)
                }
            } catch {
                logger.debug("sweeper election failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: tuning.sweepEvery)
        }
    }
}
