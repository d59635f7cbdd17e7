import Foundation

/// Timing knobs of the delivery engine. The defaults suit production; tests shorten them.
public struct DeliveryEngineTuning: Sendable {
    /// Stream entries pending this long with another consumer are taken over: longer than any
    /// delivery can take (rate-limit wait ≤ 5 s + HTTP timeout ≤ 30 s + commit).
    public var reclaimIdle: Duration = .seconds(45)
    /// How often a worker looks for such entries.
    public var reclaimEvery: Duration = .seconds(10)
    /// A `processing` claim older than this belongs to a vanished worker and may be taken over.
    public var staleClaim: Duration = .seconds(40)
    /// How often the sweeper leader sweeps.
    public var sweepEvery: Duration = .seconds(10)
    /// `pending` deliveries older than this were never enqueued (Redis was down): the sweeper enqueues them.
    public var pendingGrace: Duration = .seconds(15)
    /// `queued` deliveries untouched this long may have lost their stream entry (a web process
    /// died between COMMIT and enqueue, or never learnt that its COMMIT succeeded because
    /// PostgreSQL crashed before answering): the sweeper puts them on the stream again (a duplicate
    /// entry is harmless: it claims nothing). Plus ``sweepEvery`` it stays within
    /// ``reclaimIdle`` + ``reclaimEvery``, so a lost delivery waits no longer than a crashed
    /// worker's; during a backlog the sweeper counts it from the newest entry the group has read.
    public var lostQueuedGrace: Duration = .seconds(30)
    /// How long in-flight deliveries may finish after SIGTERM before they are handed back.
    public var shutdownGrace: Duration = .seconds(20)

    /// How often each worker moves due scheduled deliveries (retries, sequence steps) to the stream.
    public var promoteEvery: Duration = .milliseconds(250)
    /// How often the sequence scheduler looks for enrollments whose next step is to be scheduled.
    public var sequenceScheduleEvery: Duration = .milliseconds(250)
    /// The clock sequence steps are scheduled and checked by (their windows, delays and expiry);
    /// tests drive it. Queue timing (claims, rate limits) always uses the real clocks.
    public var clock: @Sendable () -> Date = { Date() }
    /// How often each worker looks for polled sources that are due (Google Sheets, Shopmonkey).
    public var pollCheckEvery: Duration = .seconds(1)
    /// How long a source's poll lease lasts without renewal: a crashed worker's sources are
    /// polled again by another worker this long after its last renewal at the latest.
    public var pollLease: Duration = .seconds(30)
    /// Polls one worker runs at once.
    public var concurrentPolls = 4
    /// The production defaults.
    public init() {}
}
