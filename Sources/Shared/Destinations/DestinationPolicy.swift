/// A destination kind's delivery policy for new destinations: which account its rate limit is
/// shared with, how fast it may be called, and how failed deliveries are retried.
public struct DestinationPolicy: Sendable, Hashable {
    /// Destinations with the same key share one rate limit (`ghl:<location>`, `momence:<host>`).
    public var accountKey: String
    /// Calls allowed per ``rateLimitIntervalMilliseconds`` per account; nil for no limit.
    public var rateLimitRequests: Int?
    /// The rate-limit window; nil for no limit.
    public var rateLimitIntervalMilliseconds: Int?
    /// Delays between attempts, in seconds; nil for exponential backoff.
    public var retryScheduleSeconds: [Int]?
    /// Attempts before a delivery is dead.
    public var maxAttempts: Int
    /// Per-attempt deadline.
    public var timeoutMilliseconds: Int

    /// The fast default: no rate limit, 8 attempts with exponential backoff, 10 s per attempt.
    public init(
        accountKey: String,
        rateLimitRequests: Int? = nil,
        rateLimitIntervalMilliseconds: Int? = nil,
        retryScheduleSeconds: [Int]? = nil,
        maxAttempts: Int = 8,
        timeoutMilliseconds: Int = 10_000
    ) {
        self.accountKey = accountKey
        self.rateLimitRequests = rateLimitRequests
        self.rateLimitIntervalMilliseconds = rateLimitIntervalMilliseconds
        self.retryScheduleSeconds = retryScheduleSeconds
        self.maxAttempts = maxAttempts
        self.timeoutMilliseconds = timeoutMilliseconds
    }
}
