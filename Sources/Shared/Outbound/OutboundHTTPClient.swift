import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix

/// The HTTP client for every call LeadRelay makes on a tenant's behalf (deliveries, test leads,
/// the Graph API, reconciliation lookups). Before each request its ``OutboundTargetChecker``
/// checks where the URL leads under an ``OutboundAddressPolicy``: an IP literal is classified as
/// written; a host name is resolved (answers cached for ``resolutionLifetime``), every address it
/// resolves to is checked, and the
/// connection is **pinned** to the checked address (AsyncHTTPClient's `dnsOverride`, so TLS still
/// verifies the certificate against the host name). A name that resolves to a public address when
/// checked and to `127.0.0.1` a moment later (DNS rebinding) therefore cannot reach `127.0.0.1`.
///
/// With private networks allowed (``OutboundAddressPolicy/allowPrivateNetworks``) nothing is
/// resolved ahead: requests go straight through one shared client.
public final class OutboundHTTPClient: Sendable {
    /// What may be called, and where names lead.
    public let checker: OutboundTargetChecker
    /// How long a host's resolved addresses are reused before it is looked up again.
    public static let resolutionLifetime: Duration = .seconds(30)

    /// Carries requests to IP literals, and every request when private networks are allowed.
    let direct: HTTPClient
    let pins: PinnedHTTPClients

    /// A client with `configuration` (redirects should stay disallowed: a redirect would be a
    /// second, unchecked call) under `policy`, resolving names with `resolver`.
    public init(
        configuration: HTTPClient.Configuration = HTTPClient.Configuration(redirectConfiguration: .disallow),
        policy: OutboundAddressPolicy,
        resolver: any HostResolving = SystemHostResolver(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.checker = OutboundTargetChecker(policy: policy, resolver: resolver)
        self.direct = HTTPClient(eventLoopGroup: eventLoopGroup, configuration: configuration)
        self.pins = PinnedHTTPClients(configuration: configuration, eventLoopGroup: eventLoopGroup)
    }

    /// Sends `request` once its target is allowed, within `deadline`. `allowPrivateNetwork` is a
    /// destination's own permission (set by an operator).
    ///
    /// - Throws: ``OutboundRefusal`` for a private target, ``HostLookupError`` when the name does
    ///   not resolve, ``UnsupportedURLSchemeError`` for anything but http(s), and whatever
    ///   the request itself throws.
    public func execute(
        _ request: HTTPClientRequest,
        deadline: NIODeadline,
        allowPrivateNetwork: Bool = false
    ) async throws -> HTTPClientResponse {
        let client = try await client(for: request.url, allowPrivateNetwork: allowPrivateNetwork)
        return try await client.execute(request, deadline: deadline)
    }

    /// Sends `request` once its target is allowed, within `timeout`.
    public func execute(
        _ request: HTTPClientRequest,
        timeout: TimeAmount,
        allowPrivateNetwork: Bool = false
    ) async throws -> HTTPClientResponse {
        try await execute(request, deadline: .now() + timeout, allowPrivateNetwork: allowPrivateNetwork)
    }

    /// Shuts every client down; call once, after the last request.
    public func shutdown() async throws {
        try await pins.shutdown()
        try await direct.shutdown()
    }

    /// The client that may carry a request to `url`, after the checks.
    func client(for url: String, allowPrivateNetwork: Bool) async throws -> HTTPClient {
        switch try await checker.check(url, allowPrivateNetwork: allowPrivateNetwork) {
        case .direct: direct
        case .resolved(let host, let addresses): try await pins.client(host: host, addresses: addresses)
        }
    }
}
