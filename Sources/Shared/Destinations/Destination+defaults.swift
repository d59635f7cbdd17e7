import Foundation

extension Destination {
    /// A new destination with its kind's delivery policy (``DestinationAdapter/defaultPolicy(name:config:)``):
    /// GoHighLevel 100 requests / 10 s per location, Momence one call per 3 s per host and retries
    /// at 1 h, 4 h, 24 h (5 attempts); others a fast default (8 attempts, exponential backoff).
    public static func withDefaults(
        tenantId: UUID,
        name: String,
        kind: DestinationKind,
        config: [String: JSONValue],
        baseURL: String? = nil,
        dryRun: Bool = false
    ) -> Destination {
        let policy =
            DestinationRegistry.adapter(for: kind)?.defaultPolicy(name: name, config: config)
            ?? DestinationPolicy(accountKey: "\(kind.rawValue):\(name)")
        return Destination(
            id: UUID(),
            tenantId: tenantId,
            name: name,
            kind: kind,
            config: config,
            baseURL: baseURL,
            accountKey: policy.accountKey,
            rateLimitRequests: policy.rateLimitRequests,
            rateLimitIntervalMilliseconds: policy.rateLimitIntervalMilliseconds,
            retryScheduleSeconds: policy.retryScheduleSeconds,
            maxAttempts: policy.maxAttempts,
            timeoutMilliseconds: policy.timeoutMilliseconds,
            hasSecret: false,
            enabled: true,
            dryRun: dryRun,
            createdAt: Date()
        )
    }
}
