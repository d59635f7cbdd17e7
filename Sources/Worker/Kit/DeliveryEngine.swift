import AsyncHTTPClient
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Shared

/// The worker's delivery engine (ARCHITECTURE.md, queue protocol): reads delivery ids from the
/// Redis stream in batches, claims them in PostgreSQL, works up to `WORKER_COUNT` at once,
/// commits each result with its attempt row, then acknowledges the entries. Entries of crashed
/// workers are taken over after ``DeliveryEngineTuning/reclaimIdle``; due retries are promoted every second; one
/// elected worker sweeps for anything the queue lost. On graceful shutdown it stops reading,
/// lets in-flight deliveries finish for ``DeliveryEngineTuning/shutdownGrace`` and hands the rest back.
public struct DeliveryEngine: Service {
    let configuration: AppConfiguration
    let stores: DataStores
    let httpClient: OutboundHTTPClient
    let logger: Logger
    /// This process's consumer name in the group and `claimed_by` in PostgreSQL.
    public let workerId: String

    /// Timing knobs (reclaim, sweep, shutdown grace).
    let tuning: DeliveryEngineTuning

    /// Creates the engine; it starts working when run in a `ServiceGroup`.
    public init(configuration: AppConfiguration, stores: DataStores, httpClient: OutboundHTTPClient, logger: Logger,
                workerId: String? = nil, tuning: DeliveryEngineTuning = .init()) {
        self.tuning = tuning
        self.configuration = configuration
        self.stores = stores
        self.httpClient = httpClient
        let id = workerId ?? Self.makeWorkerId()
        self.workerId = id
        var logger = logger
        logger[metadataKey: "worker_id"] = "\(id)"
        self.logger = logger
    }

    /// `hostname-pid-random`: unique per process, readable in the dashboard.
    static func makeWorkerId() -> String {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "worker"
        return "\(host)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(6).lowercased())"
    }

    public func run() async throws {
        try await stores.migrateIfEnabled(configuration: configuration, logger: logger)
        try await ensureGroup()
        let store = WorkerDeliveryStore(client: stores.postgres, workerId: workerId, staleClaim: tuning.staleClaim, logger: logger)
        let writer = ResultWriter(store: store, stores: stores, logger: logger)
        let processor = DeliveryProcessor(
            destinations: DestinationCache(client: stores.postgres, secretBox: configuration.secretBox, logger: logger),
            rateLimiter: AccountRateLimiter(redis: stores.redis, keys: stores.redisKeys),
            client: DestinationClient(httpClient: httpClient, logger: logger), logger: logger)
        let maintenance = QueueMaintenance(stores: stores, pendingGrace: tuning.pendingGrace, lostQueuedGrace: tuning.lostQueuedGrace, logger: logger)
        logger.info("worker ready", metadata: ["concurrency": "\(configuration.workerCount)"])

        let slots = DeliverySlots(capacity: configuration.workerCount)
        await withTaskGroup(of: Void.self) { background in
            background.addTask { await writer.run() }
            background.addTask { await cancelWhenGracefulShutdownOrCancelled { await promoteLoop(maintenance) } }
            background.addTask { await cancelWhenGracefulShutdownOrCancelled { await sweepLoop(maintenance) } }
            let fetcher = InboundFetcher(stores: stores, secretBox: configuration.secretBox, httpClient: httpClient, logger: logger) { [stores, logger] ids in
                try? await DeliveryQueue(stores: stores, logger: logger).enqueue(ids)
            }
            background.addTask { await cancelWhenGracefulShutdownOrCancelled { await fetcher.run() } }
            background.addTask { await cancelWhenGracefulShutdownOrCancelled { await heartbeatLoop(slots: slots) } }
            await consume(store: store, processor: processor, writer: writer, slots: slots)
            writer.finish()
            await background.waitForAll()
        }
        try? await WorkerHeartbeats(stores: stores).stop(workerId: workerId)
        logger.info("worker stopped")
    }

    // MARK: - Consuming

    private func consume(store: WorkerDeliveryStore, processor: DeliveryProcessor, writer: ResultWriter, slots: DeliverySlots) async {
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
                let entries: [RedisStreamEntry]
                do {
                    if clock.now - lastReclaim >= tuning.reclaimEvery {
                        lastReclaim = clock.now
                        entries = try await stores.redis.xautoclaim(
                            stores.redisKeys.deliveryStream, group: stores.redisKeys.consumerGroup, consumer: workerId,
                            minIdleMilliseconds: Int(tuning.reclaimIdle.seconds * 1000), count: free).entries
                        if !entries.isEmpty { logger.warning("took over deliveries of a stopped worker", metadata: ["count": "\(entries.count)"]) }
                    } else {
                        entries = try await stores.redis.xreadgroup(
                            group: stores.redisKeys.consumerGroup, consumer: workerId, streams: [stores.redisKeys.deliveryStream],
                            count: min(free, 256), blockMilliseconds: 1_000)
                    }
                } catch let error as RedisServerError where error.code == "NOGROUP" {
                    logger.warning("the consumer group is gone (Redis lost its data?); creating it again")
                    try? await ensureGroup()
                    continue
                } catch {
                    logger.warning("cannot read the delivery stream; retrying", metadata: ["error": "\(error)"])
                    try? await Task.sleep(for: .seconds(1))
                    continue
                }
                guard !entries.isEmpty else { continue }
                let claimed: [ClaimedDelivery]
                do {
                    claimed = try await claim(entries, store: store, inFlight: slots.ids)
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
    /// acknowledges at once the entries that claimed nothing (done, claimed by a live worker, malformed).
    private func claim(_ entries: [RedisStreamEntry], store: WorkerDeliveryStore, inFlight: Set<Int64>) async throws -> [ClaimedDelivery] {
        var byDelivery: [Int64: [String]] = [:]
        var useless: [String] = []
        for entry in entries {
            if let id = entry.string("d").flatMap(Int64.init) {
                // Our own entry taken back by a reclaim while we still work it: leave it alone.
                if inFlight.contains(id) { continue }
                byDelivery[id, default: []].append(entry.id)
            } else {
                useless.append(entry.id)
            }
        }
        let claimed = try await store.claim(byDelivery)
        let claimedIds = Set(claimed.map(\.id))
        for (id, entryIds) in byDelivery where !claimedIds.contains(id) { useless += entryIds }
        if !useless.isEmpty {
            let stream = RedisArgument(stores.redisKeys.deliveryStream)
            let ids = useless.map { RedisArgument($0) }
            _ = try? await stores.redis.pipeline([
                ["XACK", stream, RedisArgument(stores.redisKeys.consumerGroup)] + ids, ["XDEL", stream] + ids,
            ])
        }
        return claimed
    }

    private func ensureGroup() async throws {
        _ = try await stores.redis.xgroupCreate(stores.redisKeys.deliveryStream, group: stores.redisKeys.consumerGroup, id: "0", mkstream: true)
    }

    // MARK: - Maintenance

    /// Refreshes this worker's heartbeat every 5 s (it expires 15 s after the last one).
    private func heartbeatLoop(slots: DeliverySlots) async {
        let heartbeats = WorkerHeartbeats(stores: stores)
        let started = Date()
        while !Task.isCancelled {
            let status = WorkerHeartbeats.Status(workerId: workerId, startedAt: started, inFlight: slots.busy, concurrency: slots.capacity)
            do {
                try await heartbeats.beat(status)
            } catch {
                logger.debug("heartbeat not written", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(5))
        }
    }

    private func promoteLoop(_ maintenance: QueueMaintenance) async {
        while !Task.isCancelled {
            do {
                try await maintenance.promoteDueRetries()
            } catch {
                logger.debug("could not promote due retries", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    /// Competes for the sweeper lock; the winner sweeps every ``DeliveryEngineTuning/sweepEvery`` while it lives.
    private func sweepLoop(_ maintenance: QueueMaintenance) async {
        while !Task.isCancelled {
            do {
                try await stores.postgres.withConnection { connection in
                    var leader = false
                    for try await locked in try await connection.query(
                        "SELECT pg_try_advisory_lock(\(QueueMaintenance.leaderLockKey))", logger: logger).decode(Bool.self) {
                        leader = locked
                    }
                    guard leader else { return }
                    logger.info("this worker is the sweeper leader")
                    defer { logger.info("sweeper leadership released") }
                    while !Task.isCancelled {
                        do {
                            try await maintenance.sweep()
                        } catch where !Task.isCancelled {
                            logger.warning("sweep failed", metadata: ["error": "\(error)"])
                        } catch {
                            break
                        }
                        try? await Task.sleep(for: tuning.sweepEvery)
                    }
                    try? await connection.execute("SELECT pg_advisory_unlock(\(QueueMaintenance.leaderLockKey))", logger: logger)
                }
            } catch {
                logger.debug("sweeper election failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: tuning.sweepEvery)
        }
    }
}

/// Runs `operation` until it returns, the task is cancelled, or a graceful shutdown starts
/// (which cancels it).
func cancelWhenGracefulShutdownOrCancelled(_ operation: @escaping @Sendable () async -> Void) async {
    _ = try? await cancelWhenGracefulShutdown {
        await operation()
    }
}
