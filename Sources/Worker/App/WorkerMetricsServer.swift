import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Shared
import Synchronization

/// The worker's own small HTTP listener: `GET /metrics` (Prometheus text, optional bearer
/// `METRICS_TOKEN`) and `GET /health` (liveness), for Railway and Prometheus.
///
/// Its port comes from `METRICS_PORT`, else `PORT`, else 9090 (``AppConfiguration/metricsPort``).
/// A taken port named in `METRICS_PORT` ends the worker with an error naming the variable; any
/// other taken port is replaced by a free one, which is logged (two workers on one host). Once the
/// worker runs, delivering never depends on this listener: if it cannot listen for another reason,
/// or fails later, the error is logged and the worker goes on delivering without it.
struct WorkerMetricsServer: Service {
    let configuration: AppConfiguration
    let stores: DataStores
    let logger: Logger

    /// How one attempt to serve on a port ended.
    private enum Outcome {
        /// Served until the worker shut down.
        case stopped
        /// Never listened (the port is taken, the host cannot be bound …).
        case couldNotListen(any Error)
        /// Listened, then failed.
        case failed(any Error)
    }

    func run() async throws {
        let requested = configuration.metricsPort
        let source = configuration.metricsPortSource
        var outcome = await serve(port: requested)
        if case .couldNotListen(let error) = outcome {
            if source == .metricsPortVariable {
                throw ConfigurationError(
                    variable: "METRICS_PORT",
                    expected: Self.isAddressInUse(error)
                        ? "names port \(requested), which another process is listening on: choose a free port, or leave METRICS_PORT unset"
                        : "names port \(requested), which the worker cannot listen on (\(error))"
                )
            }
            if Self.isAddressInUse(error) {
                logger.notice(
                    "metrics listener: port taken, listening on a free port instead",
                    metadata: [
                        "port": "\(requested)", "port_set_by": "\(source.variable ?? "default")",
                    ]
                )
                outcome = await serve(port: 0)
            }
        }
        switch outcome {
        case .stopped:
            return
        case .couldNotListen(let error), .failed(let error):
            logger.error(
                "metrics listener down; the worker goes on delivering without /metrics and /health",
                metadata: ["error": "\(error)"]
            )
            // Stay a running service until shutdown: returning early would end the whole group.
            try? await gracefulShutdown()
        }
    }

    /// Serves `/metrics` and `/health` on `port` (0: any free port) until shutdown or failure.
    private func serve(port: Int) async -> Outcome {
        let listening = ListeningFlag()
        let logger = self.logger
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .notice)
        let application = Application(
            router: router(),
            configuration: .init(address: .hostname(configuration.host, port: port), serverName: "LeadRelay-worker"),
            onServerRunning: { channel in
                listening.set()
                logger.info(
                    "metrics listener ready (/metrics, /health)",
                    metadata: ["port": "\(channel.localAddress?.port.map(String.init) ?? "?")"]
                )
            },
            logger: quiet
        )
        do {
            try await application.run()
            return .stopped
        } catch {
            return listening.isSet ? .failed(error) : .couldNotListen(error)
        }
    }

    private func router() -> Router<BasicRequestContext> {
        let router = Router()
        let scrape = MetricsScrape(stores: stores, token: configuration.metricsToken, logger: logger)
        router.get("health") { _, _ in "ok" }
        router.get("metrics") { request, _ in
            guard scrape.isAuthorized(request.headers[.authorization]) else {
                return Response(status: .unauthorized, headers: [.wwwAuthenticate: "Bearer"])
            }
            return Response(
                status: .ok,
                headers: [.contentType: MetricsScrape.contentType],
                body: .init(byteBuffer: ByteBuffer(bytes: await scrape.exposition()))
            )
        }
        return router
    }

    /// `listen`/`bind` said the address is in use.
    private static func isAddressInUse(_ error: any Error) -> Bool {
        (error as? IOError)?.errnoCode == EADDRINUSE
    }
}

/// Set once the listener runs, so that a failure can be told apart from a failure to start.
private final class ListeningFlag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}
