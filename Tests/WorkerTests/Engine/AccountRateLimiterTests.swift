import Foundation
import Redis
import Shared
import TestSupport
import Testing

@testable import WorkerApp

@Suite("Shared account rate limiter")
struct AccountRateLimiterTests {
    /// Four independent clients (as four worker processes) reserve slots concurrently; on the
    /// Redis clock no window of the interval ever holds more than the limit.
    @Test(arguments: [(5, 1_000), (1, 3_000), (100, 10_000)])
    func concurrentReservationsNeverExceedTheLimitOnTheSharedClock(requests: Int, interval: Int) async throws {
        let keys = RedisKeys(prefix: TestEnvironment.uniqueName("rl"))
        let account = "acct-\(UUID().uuidString.prefix(6))"
        let clients = try (0..<4).map { _ in RedisClient(configuration: try TestEnvironment.redisConfiguration(), logger: TestEnvironment.logger) }
        let slots = try await withThrowingTaskGroup(of: [Int].self) { group in
            for client in clients {
                group.addTask {
                    try await client.run()
                    return []
                }
            }
            var slots: [Int] = []
            try await withThrowingTaskGroup(of: [Int].self) { reservers in
                for client in clients {
                    reservers.addTask {
                        var limiter = AccountRateLimiter(redis: client, keys: keys)
                        limiter.maximumWait = .seconds(3_600)
                        var mine: [Int] = []
                        for index in 0..<(requests * 3 / 4 + 2) {
                            let (decision, slot) = try await limiter.reservation(
                                account: account,
                                requests: requests,
                                intervalMilliseconds: interval,
                                member: "\(index)-\(UUID())"
                            )
                            if case .proceed = decision { mine.append(slot) }
                        }
                        return mine
                    }
                }
                for try await mine in reservers { slots += mine }
            }
            group.cancelAll()
            return slots.sorted()
        }
        #expect(slots.count == 4 * (requests * 3 / 4 + 2))
        let enforced = AccountRateLimiter.enforcedInterval(milliseconds: interval)
        for index in requests..<slots.count {
            #expect(
                slots[index] - slots[index - requests] >= enforced,
                "\(requests + 1) slots within \(slots[index] - slots[index - requests]) ms"
            )
        }
    }
}
