import Redis
import Shared
import Testing

@testable import WorkerApp

/// The worker's services start only once ``WorkerStartup`` has run, and stop waiting when cancelled.
@Suite("Worker startup")
struct WorkerStartupTests {
    private func startup(_ harness: WorkerTestHarness) -> WorkerStartup {
        WorkerStartup(
            configuration: harness.configuration,
            stores: harness.stores,
            queue: DeliveryQueue(stores: harness.stores, logger: harness.logger),
            logger: harness.logger
        )
    }

    @Test func waitersGoOnOnceTheConsumerGroupExists() async throws {
        try await WorkerTestHarness.run { harness in
            let startup = startup(harness)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                // run() stays until the worker stops (here: until cancelled).
                tasks.addTask { try await startup.run() }
                #expect(await startup.waitUntilReady())
                #expect(await startup.waitUntilReady(), "a later waiter goes on at once")
                tasks.cancelAll()
                try await tasks.waitForAll()
            }
            let keys = harness.stores.redisKeys
            let groups = try await harness.stores.redis.send(["XINFO", "GROUPS", RedisArgument(keys.deliveryStream)])
            #expect(groups.array?.count == 1)
        }
    }

    @Test func aCancelledWaiterGivesUpWithoutTheStart() async throws {
        try await WorkerTestHarness.run { harness in
            let startup = startup(harness)
            let ready = await withTaskGroup(of: Bool.self) { waiters in
                waiters.addTask { await startup.waitUntilReady() }
                waiters.cancelAll()
                return await waiters.next()
            }
            #expect(ready == false)
        }
    }
}
