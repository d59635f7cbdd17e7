import Prometheus

/// The process's Prometheus metrics. One registry per process: the executables also bootstrap
/// swift-metrics with it (so Hummingbird's request metrics land here too); `GET /metrics` on the
/// API and on the worker's `METRICS_PORT` emits it in the Prometheus text format.
public final class LeadRelayMetrics: Sendable {
    /// The process-wide instance.
    public static let shared = LeadRelayMetrics()

    /// The registry every LeadRelay metric lives in.
    public let registry = PrometheusCollectorRegistry()

    /// Buckets of delivery attempt durations.
    static let attemptBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
        .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10), .seconds(30),
    ]

    /// Counts leads by input channel and outcome (`accepted`, `duplicate`, `rejected`).
    public func leads(channel: String, outcome: String, count: Int) {
        guard count > 0 else { return }
        registry.makeCounter(
            descriptor: Self.descriptor("leadrelay_leads_total", help: "Leads received, by channel and outcome"),
            labels: [("channel", channel), ("outcome", outcome)]
        ).increment(by: Int64(count))
    }

    /// Counts a rejected item by its first field error.
    public func rejected(channel: String, field: String) {
        registry.makeCounter(
            descriptor: Self.descriptor("leadrelay_leads_rejected_total", help: "Rejected leads by channel and the field at fault"),
            labels: [("channel", channel), ("field", field)]
        ).increment()
    }

    /// Records one delivery attempt.
    public func attempt(kind: String, outcome: String, duration: Duration) {
        registry.makeCounter(
            descriptor: Self.descriptor("leadrelay_delivery_attempts_total", help: "Delivery attempts by destination kind and outcome"),
            labels: [("kind", kind), ("outcome", outcome)]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: Self.descriptor("leadrelay_delivery_attempt_duration_seconds", help: "Delivery attempt durations"),
            labels: [("kind", kind)],
            buckets: Self.attemptBuckets
        ).record(duration)
    }

    /// Counts a wait for a shared rate-limit slot (`slept` or `rescheduled`).
    public func rateLimitWait(kind: String, action: String) {
        registry.makeCounter(
            descriptor: Self.descriptor("leadrelay_rate_limit_waits_total", help: "Deliveries that waited for a rate-limit slot"),
            labels: [("kind", kind), ("action", action)]
        ).increment()
    }

    /// Counts a destination suspended because its provider refused the credential.
    public func destinationSuspended(kind: String) {
        registry.makeCounter(
            descriptor: Self.descriptor(
                "leadrelay_destination_suspensions_total",
                help: "Destinations suspended because the provider refused their credential"
            ),
            labels: [("kind", kind)]
        ).increment()
    }

    /// Sets a queue gauge (depth, scheduled retries, dead, oldest pending age…).
    public func gauge(_ name: String, help: String, value: Double, labels: [(String, String)] = []) {
        registry.makeGauge(descriptor: Self.descriptor(name, help: help), labels: labels).set(value)
    }

    /// A descriptor whose exposed name is exactly `name`.
    static func descriptor(_ name: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    /// The Prometheus text exposition of every metric.
    public func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }
}
