import Foundation

extension Destination {
    /// A new destination with the kind's delivery policy: GoHighLevel 100 requests / 10 s per
    /// location, Momence one call per 3 s per host and retries at 1 h, 4 h, 24 h (5 attempts);
    /// others a fast default (8 attempts, exponential backoff).
    public static func withDefaults(tenantId: UUID, name: String, kind: DestinationKind, config: [String: JSONValue],
                                    baseURL: String? = nil, dryRun: Bool = false) -> Destination {
        var destination = Destination(
            id: UUID(), tenantId: tenantId, name: name, kind: kind, config: config, baseURL: baseURL, accountKey: "",
            rateLimitRequests: nil, rateLimitIntervalMilliseconds: nil, retryScheduleSeconds: nil, maxAttempts: 8,
            timeoutMilliseconds: 10_000, hasSecret: false, enabled: true, dryRun: dryRun, createdAt: Date())
        switch kind {
        case .ghl, .ghlV1:
            destination.accountKey = "ghl:" + (config["locationId"]?.scalarText ?? name)
            destination.rateLimitRequests = 100
            destination.rateLimitIntervalMilliseconds = 10_000
        case .momence:
            destination.accountKey = "momence:" + (config["hostId"]?.scalarText ?? name)
            destination.rateLimitRequests = 1
            destination.rateLimitIntervalMilliseconds = 3_000
            destination.retryScheduleSeconds = [3_600, 14_400, 86_400, 86_400]
            destination.maxAttempts = 5
        case .npa, .http:
            destination.accountKey = "\(kind.rawValue):" + (config["url"]?.scalarText.flatMap { URL(string: $0)?.host } ?? name)
        }
        return destination
    }
}
