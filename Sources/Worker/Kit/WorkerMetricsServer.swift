import Hummingbird
import Logging
import NIOCore
import Shared

/// The worker's own small HTTP listener on `METRICS_PORT`: `GET /metrics` (Prometheus text,
/// optional bearer `METRICS_TOKEN`) and `GET /health` (liveness), for Railway and Prometheus.
enum WorkerMetricsServer {
    /// The listener as a service; `METRICS_PORT=0` picks a free port.
    static func build(configuration: AppConfiguration, stores: DataStores, logger: Logger) -> some ApplicationProtocol {
        let router = Router()
        router.get("health") { _, _ in "ok" }
        router.get("metrics") { request, _ in
            if let token = configuration.metricsToken,
               !ConstantTime.equals(Array((request.headers[.authorization] ?? "").utf8), Array("Bearer \(token)".utf8)) {
                return Response(status: .unauthorized, headers: [.wwwAuthenticate: "Bearer"])
            }
            let gauges = QueueGauges(stores: stores, logger: logger)
            if let snapshot = try? await withTimeout(.seconds(3), operation: "metrics", { try await gauges.snapshot() }) {
                gauges.publish(snapshot)
            }
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: LeadRelayMetrics.shared.exposition())))
        }
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .notice)
        return Application(router: router,
                           configuration: .init(address: .hostname(configuration.host, port: configuration.metricsPort), serverName: "LeadRelay-worker"),
                           logger: quiet)
    }
}
