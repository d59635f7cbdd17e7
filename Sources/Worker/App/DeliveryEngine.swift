import AsyncHTTPClient
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Shared

/// The worker's delivery engine (see ``DeliveryQueue`` for the queue protocol): reads delivery
/// ids from the queue in batches, claims them in PostgreSQL, works up to `WORKER_COUNT` at once,
/// commits each result with its attempt row, then settles the entries on the queue. Entries of
/// crashed workers are taken over after ``DeliveryEngineTuning/reclaimIdle``. On graceful
/// shutdown it stops reading, lets in-flight deliveries finish for
/// ``DeliveryEngineTuning/shutdownGrace`` and hands the rest back. Promoting due deliveries,
/// sweeping, the heartbeat and webhook fetches are services of their own beside it (``buildWorker(configuration:stores:logger:workerId:tuning:)``).
public struct DeliveryEngine: Service {
    let configuration: AppConfiguration
    let stores: DataStores
    let queue: DeliveryQueue
    let httpClient: OutboundHTTPClient
    let slots: DeliverySlots
    let startup: WorkerStartup
    let logger: Logger
    /// This process's consumer name in the group and `claimed_by` in PostgreSQL.
    public let workerId: String

    /// Timing knobs (reclaim, stale claims, shutdown grace).
    let tuning: DeliveryEngineTuning

    /// `hostname-pid-random`: unique per process, readable in the dashboard.
    static func makeWorkerId() -> String {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "worker"
        return "\(host)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(6).lowercased())"
    }

    public func run() async throws {
        let ready = await cancelWhenGracefulShutdown { await startup.waitUntilReady() }
        guard ready else { return }
        let store = WorkerDeliveryStore(client: stores.postgres, workerId: workerId, staleClaim: tuning.staleClaim, logger: logger)
        let writer = ResultWriter(store: store, queue: queue, logger: logger)
        let destinations = DestinationCache(client: stores.postgres, secretBox: configuration.secretBox, logger: logger)
        let client = DestinationClient(httpClient: httpClient, logger: logger)
        let processor = DeliveryProcessor(
            destinations: destinations,
            rateLimiter: AccountRateLimiter(redis: stores.redis, keys: stores.redisKeys),
            client: client,
            optOuts: OptOutStore(client: stores.postgres, logger: logger),
            destinationStore: DestinationStore(client: stores.postgres, logger: logger),
            stepGate: SequenceStepGate(
                client: stores.postgres,
                destinations: destinations,
                destinationClient: client,
                now: tuning.clock,
                logger: logger
            ),
            logger: logger
        )
        await withTaskGroup(of: Void.self) { background in
            background.addTask { await writer.run() }
            await consume(store: store, processor: processor, writer: writer)
            writer.finish()
            await background.waitForAll()
        }
        logger.info("worker stopped")
    }

    // MARK: - Consuming

    private func consume(store: WorkerDeliveryStore, processor: DeliveryProcessor, writer: ResultWriter) async {
        let clock = ContinuousClock()
        await withDiscardingTaskGroup { deliveries in
            var lastReclaim = clock.now
            var lastRefresh = clock.now
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                if clock.now - lastRefresh >= tuning.staleClaim / 3 {
                    lastRefresh = clock.now
                    // Keep our claims fresh so a slow delivery is never mistaken for a dead worker's.
                    do {
                        try await store.refreshClaims(Array(slots.ids))
                    } catch {
                        logger.warning("could not refresh delivery claims", metadata: ["error": "\(error)"])
                    }
                }
                let free = slots.free
                if free == 0 {
                    await slots.waitForRelease(timeout: .seconds(1))
                    continue
                }
                let entries: [DeliveryQueue.Entry]
                let reclaiming = clock.now - lastReclaim >= tuning.reclaimEvery
                do {
                    if reclaiming {
                        lastReclaim = clock.now
                        entries = try await queue.reclaim(consumer: workerId, idleFor: tuning.reclaimIdle, count: free)
                        if !entries.isEmpty { logger.warning("took over deliveries of a stopped worker", metadata: ["count": "\(entries.count)"]) }
                    } else {
                        entries = try await queue.read(consumer: workerId, count: min(free, 256), waitingUpTo: .seconds(1))
                    }
                } catch {
                    logger.warning("cannot read the delivery stream; retrying", metadata: ["error": "\(error)"])
                    try? await Task.sleep(for: .seconds(1))
                    continue
                }
                guard !entries.isEmpty else { continue }
                let claimed: [ClaimedDelivery]
                do {
                    claimed = try await claim(entries, store: store, inFlight: slots.ids, reclaimed: reclaiming)
                } catch {
                    // Not acknowledged: the entries stay pending and are reclaimed later.
                    logger.warning("cannot claim deliveries in PostgreSQL; they stay pending", metadata: ["error": "\(error)"])
                    try? await Task.sleep(for: .seconds(1))
                    continue
                }
                for delivery in claimed {
                    slots.acquire(delivery.id)
                    deliveries.addTask {
                        let result = await processor.process(delivery)
                        do {
                            try await writer.commit(result)
                        } catch {
                            // Logged by the writer; the claim goes stale and is recovered.
                        }
                        slots.release(delivery.id)
                    }
                }
            }
            // Graceful shutdown: let in-flight deliveries finish, then hand the rest back.
            let deadline = clock.now + tuning.shutdownGrace
            if slots.busy > 0 { logger.info("finishing in-flight deliveries", metadata: ["count": "\(slots.busy)"]) }
            while slots.busy > 0 && clock.now < deadline {
                try? await Task.sleep(for: .milliseconds(50))
            }
            if slots.busy > 0 {
                logger.warning("grace period over: handing in-flight deliveries back", metadata: ["count": "\(slots.busy)"])
                deliveries.cancelAll()
            }
        }
    }

    /// Claims the deliveries named by `entries` (skipping those this worker is working on);
    /// acknowledges at once the entries that claimed nothing (done, claimed by a live worker,
    /// malformed). A new entry of a delivery in flight here is acknowledged and the delivery
    /// scheduled a second later (``DeliveryQueue/Settlement/revisit(_:at:)``): it may be a
    /// duplicate (a sweep added it again) or the next attempt's entry, promoted before this
    /// attempt's result was settled, which must not be lost.
    private func claim(
        _ entries: [DeliveryQueue.Entry],
        store: WorkerDeliveryStore,
        inFlight: Set<Int64>,
        reclaimed: Bool
    ) async throws -> [ClaimedDelivery] {
        var byDelivery: [Int64: [String]] = [:]
        var settlement = DeliveryQueue.Settlement()
        var useless: [String] = []
        for entry in entries {
            guard let id = entry.deliveryId else {
                useless.append(entry.id)
                continue
            }
            if inFlight.contains(id) {
                // A reclaim can take back our own entry while we still work it: leave it alone (the
                // commit acknowledges it).
                if !reclaimed {
                    useless.append(entry.id)
                    settlement.revisit(id, at: Date().addingTimeInterval(1))
                }
                continue
            }
            byDelivery[id, default: []].append(entry.id)
        }
        let claimed = try await store.claim(byDelivery)
        let claimedIds = Set(claimed.map(\.id))
        for (id, entryIds) in byDelivery where !claimedIds.contains(id) { useless += entryIds }
        settlement.acknowledge(useless)
        if !settlement.isEmpty { try? await queue.settle(settlement) }
        return claimed
    }
}
