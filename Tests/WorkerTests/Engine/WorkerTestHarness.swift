import Foundation
import Logging
import PostgresNIO
import Redis
import ServiceLifecycle
import Shared
import TestSupport
import WorkerApp

/// A private database and Redis prefix with a tenant, a source and destinations pointing at a
/// CRM stand-in; runs real worker processes (each its own `ServiceGroup` and clients) against them.
struct WorkerTestHarness: Sendable {
    let configuration: AppConfiguration
    let stores: DataStores
    let tenant: Tenant
    let logger = TestEnvironment.logger

    /// Fast timings so recovery paths run within a test. Takeover stays longer than any
    /// delivery of these tests can take (rate-limit waits of up to 5 s included), as in production.
    static var fastTuning: DeliveryEngineTuning {
        var tuning = DeliveryEngineTuning()
        tuning.reclaimIdle = .seconds(10)
        tuning.reclaimEvery = .milliseconds(500)
        tuning.staleClaim = .seconds(9)
        tuning.sweepEvery = .milliseconds(500)
        tuning.pendingGrace = .seconds(1)
        tuning.shutdownGrace = .seconds(1)
        return tuning
    }

    static func run(workerCount: Int = 8, _ body: @escaping @Sendable (WorkerTestHarness) async throws -> Void) async throws {
        try await TestDatabase.withDatabase { database in
            let configuration = try TestEnvironment.configuration(
                database: database.configuration,
                redisKeyPrefix: TestEnvironment.uniqueName("lrw"),
                extra: ["MIGRATE_ON_BOOT": "false", "WORKER_COUNT": "\(workerCount)"]
            )
            let stores = DataStores(configuration: configuration, logger: TestEnvironment.logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for service in stores.services {
                    group.addTask { try await service.run() }
                }
                await stores.waitUntilPostgresRuns()
                let tenant = try await TenantStore(client: stores.postgres, logger: TestEnvironment.logger).create(name: "Worker tenant")
                let harness = WorkerTestHarness(configuration: configuration, stores: stores, tenant: tenant)
                do {
                    try await body(harness)
                } catch {
                    group.cancelAll()
                    throw error
                }
                _ = try? await stores.redis.send([
                    "DEL", RedisArgument(stores.redisKeys.deliveryStream),
                    RedisArgument(stores.redisKeys.scheduledDeliveries), RedisArgument(stores.redisKeys.queueEpoch),
                ])
                group.cancelAll()
            }
        }
    }

    /// Creates a destination (secret `token-123`) and a source fanning out to it.
    func destination(
        _ kind: DestinationKind,
        baseURL: String?,
        config: [String: JSONValue],
        dryRun: Bool = false,
        customize: (inout Destination) -> Void = { _ in }
    ) async throws -> (Destination, Source) {
        var destination = Destination.withDefaults(
            tenantId: tenant.id,
            name: TestEnvironment.uniqueName("d"),
            kind: kind,
            config: config,
            dryRun: dryRun
        )
        destination.baseURL = baseURL
        customize(&destination)
        let created = try await DestinationStore(client: stores.postgres, logger: logger)
            .create(destination, sealedSecret: try configuration.secretBox.seal("token-123"))
        let source = try await SourceStore(client: stores.postgres, logger: logger)
            .create(tenantId: tenant.id, name: TestEnvironment.uniqueName("s"), kind: .api, destinationIds: [created.id])
        return (created, source)
    }

    /// Stores `count` leads for `source` the way the API does and enqueues their deliveries.
    @discardableResult
    func ingest(_ count: Int, source: Source, enqueue: Bool = true) async throws -> [Int64] {
        let inputs = (0..<count).map { index in
            LeadInput(fields: [
                .email: "lead\(index)-\(UUID().uuidString.prefix(6))@example.com", .firstName: "Lead",
                .lastName: "Number\(index)", .phone: "+1201555\(String(format: "%04d", index % 10_000))",
            ])
        }
        return try await ingest(inputs, source: source, enqueue: enqueue)
    }

    /// Stores `inputs` (the valid ones) for `source` the way the API does and enqueues their
    /// deliveries; returns the delivery ids (not in lead order).
    @discardableResult
    func ingest(_ inputs: [LeadInput], source: Source, enqueue: Bool = true) async throws -> [Int64] {
        let normalizer = LeadNormalizer(defaultRegion: "US")
        var leads: [NormalizedLead] = []
        for input in inputs {
            if case .success(let lead) = normalizer.normalize(input) { leads.append(lead) }
        }
        let origin = LeadBatchOrigin(tenantId: tenant.id, sourceId: source.id, channel: .api)
        let result = try await stores.postgres.withTransaction(logger: logger) { connection in
            try await LeadWriter(logger: logger).write(leads, origin: origin, on: connection)
        }
        if enqueue {
            try await DeliveryQueue(stores: stores, logger: logger).enqueue(result.deliveryIds)
        } else {
            // As when Redis was down at ingestion: the enqueuer marks them pending.
            try await stores.postgres.execute(
                "UPDATE deliveries SET status = 'pending' WHERE id = ANY(\(result.deliveryIds)::bigint[])",
                logger: logger
            )
        }
        return result.deliveryIds
    }

    /// Runs `count` worker processes while `body` runs, then shuts them down gracefully.
    func withWorkers<T: Sendable>(
        _ count: Int = 1,
        tuning: DeliveryEngineTuning = WorkerTestHarness.fastTuning,
        _ body: @escaping @Sendable ([ServiceGroup]) async throws -> T
    ) async throws -> T {
        let groups = (0..<count).map { index in
            buildWorker(
                configuration: configuration,
                stores: DataStores(configuration: configuration, logger: logger),
                logger: logger,
                workerId: "test-worker-\(index)-\(UUID().uuidString.prefix(4))",
                tuning: tuning
            )
        }
        return try await withThrowingTaskGroup(of: T?.self) { tasks in
            for group in groups {
                tasks.addTask {
                    try await group.run()
                    return nil
                }
            }
            let result: T
            do {
                result = try await body(groups)
            } catch {
                for group in groups { await group.triggerGracefulShutdown() }
                throw error
            }
            for group in groups { await group.triggerGracefulShutdown() }
            try await tasks.waitForAll()
            return result
        }
    }

    /// Delivery counts by status.
    func statuses() async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for try await (status, count) in try await stores.postgres.query(
            "SELECT status, count(*)::int FROM deliveries GROUP BY status",
            logger: logger
        ).decode((String, Int).self) {
            counts[status] = count
        }
        return counts
    }

    /// Waits (up to `timeout`) until `condition` holds for the delivery counts; returns the last counts.
    @discardableResult
    func waitForStatuses(timeout: Duration = .seconds(90), _ condition: ([String: Int]) -> Bool) async throws -> [String: Int] {
        let deadline = ContinuousClock.now + timeout
        var counts = try await statuses()
        while !condition(counts) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            counts = try await statuses()
        }
        return counts
    }

    /// The delivery stream's length once it reaches `expected` (or after 10 s).
    func streamLength(settlesAt expected: Int) async throws -> Int {
        var length = -1
        for _ in 0..<100 {
            length = try await stores.redis.send(["XLEN", RedisArgument(stores.redisKeys.deliveryStream)]).int ?? -1
            if length == expected { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        return length
    }

    /// Runs a query returning one integer.
    func count(_ query: PostgresQuery) async throws -> Int {
        var result = 0
        for try await value in try await stores.postgres.query(query, logger: logger).decode(Int.self) { result = value }
        return result
    }

    /// Deletes every Redis key under this harness's prefix, as a wiped or replaced Redis would.
    func wipeRedis() async throws {
        guard case .array(let keys) = try await stores.redis.send(["KEYS", RedisArgument(stores.redisKeys.prefix + "*")]) else { return }
        // One DEL, as Redis loses its data at once: deleting key by key let a sweeper see the
        // epoch gone, rebuild the scheduled set, and then lose that set to the next DEL with the
        // new epoch in place (steps then waited for the 120 s safety net).
        var command: [RedisArgument] = ["DEL"]
        for case .bulkString(let key) in keys { command.append(RedisArgument(String(decoding: key, as: UTF8.self))) }
        guard command.count > 1 else { return }
        _ = try await stores.redis.send(command)
    }
}
