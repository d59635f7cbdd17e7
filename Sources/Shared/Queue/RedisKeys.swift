/// Names of every Redis key LeadRelay uses, all under one deployment prefix (`REDIS_KEY_PREFIX`).
public struct RedisKeys: Sendable, Hashable {
    /// The prefix, e.g. `leadrelay`.
    public var prefix: String

    /// Creates the key set for `prefix`.
    public init(prefix: String) {
        self.prefix = prefix
    }

    /// The delivery stream: each entry names one delivery (see ``DeliveryQueue`` for the protocol).
    public var deliveryStream: String { "\(prefix):deliveries" }
    /// The consumer group every worker process joins.
    public var consumerGroup: String { "workers" }
    /// Scheduled deliveries (retries, deliveries due later): a sorted set of delivery ids scored
    /// by due time (ms since 1970), moved to the stream once due.
    public var scheduledDeliveries: String { "\(prefix):scheduled" }
    /// A marker set once per Redis dataset; its absence means Redis lost its data and the
    /// sweeper rebuilds the queue from PostgreSQL.
    public var queueEpoch: String { "\(prefix):epoch" }
    /// Shared rate-limit state for one destination account.
    public func rateLimit(account: String) -> String { "\(prefix):ratelimit:\(account)" }
    /// A worker process's liveness key (expires unless refreshed).
    public func workerHeartbeat(workerID: String) -> String { "\(prefix):worker:\(workerID)" }
    /// Pattern matching every worker heartbeat key.
    public var workerHeartbeatPattern: String { "\(prefix):worker:*" }
    /// Per-API-key request counters for the ingestion rate limit.
    public func apiKeyRate(keyID: String) -> String { "\(prefix):apirate:\(keyID)" }
}
