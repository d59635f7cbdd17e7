import AsyncHTTPClient
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Shared

/// Owns the worker's outbound HTTP client and shuts it down after the engine (services stop in
/// reverse order): private networks refused per `policy`, no redirects followed (a 3xx is a
/// configuration problem to report, and would be an unchecked second call), enough pooled
/// connections per host for `WORKER_COUNT` concurrent deliveries.
final class HTTPClientService: Service {
    let client: OutboundHTTPClient

    init(concurrency: Int, policy: OutboundAddressPolicy) {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(8, concurrency))
        configuration.httpVersion = .automatic
        client = OutboundHTTPClient(configuration: configuration, policy: policy)
    }

    func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }
}
