import Foundation
import Shared
import Testing

@Suite("Event-loop sleep and time limits")
struct EventLoopSleepTests {
    @Test func aSleepLastsAtLeastItsDuration() async throws {
        let clock = ContinuousClock()
        let started = clock.now
        try await sleepOnEventLoop(for: .milliseconds(50))
        #expect(clock.now - started >= .milliseconds(50))
    }

    /// Cancelling ends the sleep at once with `CancellationError` (a 1-hour sleep would otherwise hang the test).
    @Test func cancellingASleepEndsItWithCancellationError() async throws {
        let outcome = try await withTimeout(.seconds(10), operation: "cancelled sleep") {
            await withTaskGroup(of: (any Error)?.self) { group in
                group.addTask {
                    do {
                        try await sleepOnEventLoop(for: .seconds(3600))
                        return nil
                    } catch {
                        return error
                    }
                }
                group.cancelAll()
                return await group.next() ?? nil
            }
        }
        #expect(outcome is CancellationError)
    }

    @Test func aSleepInACancelledTaskThrowsBeforeArmingATimer() async {
        await withTaskGroup(of: Bool.self) { group in
            group.cancelAll()
            group.addTask {
                do {
                    try await sleepOnEventLoop(for: .seconds(3600))
                    return false
                } catch {
                    return error is CancellationError
                }
            }
            #expect(await group.next() == true)
        }
    }

    @Test func anOperationOverItsLimitIsCancelledAndReportedAsTimedOut() async throws {
        let error = await #expect(throws: TimeoutError.self) {
            try await withTimeout(.milliseconds(20), operation: "slow thing") { try await sleepOnEventLoop(for: .seconds(3600)) }
        }
        #expect(error?.operation == "slow thing")
    }

    @Test(arguments: [0, 1, 7])
    func anOperationWithinItsLimitReturnsItsValue(value: Int) async throws {
        let result = try await withTimeout(.seconds(30), operation: "quick thing") { value * 2 }
        #expect(result == value * 2)
    }
}
