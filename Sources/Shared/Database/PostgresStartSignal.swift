import PostgresNIO
import ServiceLifecycle

/// Tells waiters that a `PostgresClient`'s `run()` has been entered, so that nothing leases a
/// connection before it (PostgresNIO then warns "Trying to lease connection from PostgresClient,
/// but PostgresClient.run() hasn't been called yet"). ``DataStores`` fires it from the client's
/// service and `withRunningPostgresClient` from its child task; whatever touches PostgreSQL first
/// (migrations on boot, one-shot commands, test harnesses) waits for it.
public final class PostgresStartSignal: Sendable {
    private let signal = OneShotSignal()

    /// A signal not fired yet.
    public init() {}

    /// Marks the client running and wakes every waiter.
    func fire() { signal.fire() }

    /// Returns once ``fire()`` has been called (or the task is cancelled).
    public func wait() async {
        _ = await signal.wait()
        // `run()` marks the client running in its first, synchronous step, right after the signal
        // was fired from the same task; give that task its moment before the first lease. A yield
        // alone was not enough when every thread of the pool was busy (the test suite's worst
        // moments): a short sleep frees this thread for it.
        await Task.yield()
        try? await Task.sleep(for: .milliseconds(20))
    }
}

/// A `PostgresClient` as a `Service` that fires a ``PostgresStartSignal`` as it starts running.
struct SignallingPostgresClientService: Service {
    let client: PostgresClient
    let started: PostgresStartSignal

    func run() async throws {
        started.fire()
        await client.run()
    }
}
