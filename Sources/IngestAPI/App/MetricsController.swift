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
        let scrape = MetricsScrape(stores: stores, token: token, logger: logger)
        router.get("metrics") { request, _ in
            guard scrape.isAuthorized(request.headers[.authorization]) else {
                throw APIError(
                    .unauthorized,
                    code: "unauthorized",
                    message: "metrics need Authorization: Bearer <METRICS_TOKEN>",
                    headers: [.wwwAuthenticate: "Bearer"]
                )
            }
            return Response(
                status: .ok,
                headers: [.contentType: MetricsScrape.contentType],
                body: .init(byteBuffer: ByteBuffer(bytes: await scrape.exposition()))
            )
        }
    }
}
