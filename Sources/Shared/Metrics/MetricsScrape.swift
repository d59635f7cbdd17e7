import Logging

/// What `GET /metrics` answers, in the ingest API and in the worker's metrics listener alike:
/// the queue gauges read at scrape time and every metric as Prometheus text, behind
/// `Authorization: Bearer <METRICS_TOKEN>` when a token is set. Each caller answers a refused
/// request its own way.
public struct MetricsScrape: Sendable {
    /// The `Content-Type` of ``exposition()``: Prometheus text format 0.0.4.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// `METRICS_TOKEN`; nil lets every request scrape.
    public let token: String?
    let gauges: QueueGauges

    /// A scrape of the queue in `stores`, behind `token` when given.
    public init(stores: DataStores, token: String?, logger: Logger) {
        self.token = token
        self.gauges = QueueGauges(stores: stores, logger: logger)
    }

    /// Whether a request with this `Authorization` header may scrape: it carries `Bearer <token>`
    /// (compared in constant time), or no token is set.
    public func isAuthorized(_ authorization: String?) -> Bool {
        guard let token else { return true }
        return ConstantTime.equals(Array((authorization ?? "").utf8), Array("Bearer \(token)".utf8))
    }

    /// The gauges refreshed from a queue snapshot (left as they were when it fails or takes over
    /// 3 s), then every metric in Prometheus text.
    public func exposition(metrics: LeadRelayMetrics = .shared) async -> [UInt8] {
        if let snapshot = try? await withTimeout(.seconds(3), operation: "metrics", { try await gauges.snapshot() }) {
            gauges.publish(snapshot, to: metrics)
        }
        return metrics.exposition()
    }
}
