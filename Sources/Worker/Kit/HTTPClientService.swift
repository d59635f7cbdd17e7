import AsyncHTTPClient
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// Owns the worker's `HTTPClient` and shuts it down after the engine (services stop in reverse
/// order): no redirects followed (a 3xx is a configuration problem to report), enough pooled
/// connections per host for `WORKER_COUNT` concurrent deliveries.
final class HTTPClientService: Service {
    let client: HTTPClient

    init(concurrency: Int) {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(8, concurrency))
        configuration.httpVersion = .automatic
        client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
    }

    func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }
}
