import Metrics
import Prometheus

/// Routes swift-metrics (Hummingbird's request metrics, for one) into ``LeadRelayMetrics``.
public enum MetricsBootstrap {
    /// Bootstraps swift-metrics once, at the top of an executable (never from tests).
    public static func bootstrap() {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: LeadRelayMetrics.shared.registry))
    }
}
