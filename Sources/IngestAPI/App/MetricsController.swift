import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Shared

/// `GET /metrics`: Prometheus text, with the queue gauges read at scrape time; behind
/// `Authorization: Bearer <METRICS_TOKEN>` when that is set. In production the public route is only
/// served with a token.
struct MetricsController: Sendable {
    let stores: DataStores
    let token: String?
    let logger: Logger

    /// Adds `GET /metrics`, unless this is `production` (``AppConfiguration/isProduction``) and no
    /// token is set: then the route does not exist (404) and a warning names `METRICS_TOKEN`.
    func addRoutes<Context: RequestContext>(to router: Router<Context>, production: Bool) {
        guard token != nil || !production else {
            logger.warning("GET /metrics is not served: in production (LOG_FORMAT=json or Railway) it needs METRICS_TOKEN; set it to scrape")
            return
        }
        router.get("metrics") { request, _ in
            try await Self.respond(request, stores: stores, token: token, logger: logger)
        }
    }

    /// The metrics answer (shared with the worker's metrics listener).
    static func respond(_ request: Request, stores: DataStores, token: String?, logger: Logger) async throws -> Response {
        if let token {
            let presented = request.headers[.authorization] ?? ""
            guard ConstantTime.equals(Array(presented.utf8), Array("Bearer \(token)".utf8)) else {
                throw APIError(
                    .unauthorized,
                    code: "unauthorized",
                    message: "metrics need Authorization: Bearer <METRICS_TOKEN>",
                    headers: [.wwwAuthenticate: "Bearer"]
                )
            }
        }
        let gauges = QueueGauges(stores: stores, logger: logger)
        if let snapshot = try? await withTimeout(.seconds(3), operation: "metrics", { try await gauges.snapshot() }) {
            gauges.publish(snapshot)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: LeadRelayMetrics.shared.exposition()))
        )
    }
}
