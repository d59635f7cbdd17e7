import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Shared

/// Who sent a request and how, as far as it can be believed. The `X-Forwarded-*` headers are only
/// read when the connection's peer is a trusted proxy (`TRUSTED_PROXIES`); anyone else could write
/// anything into them.
struct RequestOrigin: Sendable, Equatable {
    /// The client's IP address: walking `X-Forwarded-For` from the right past trusted proxies, the
    /// first hop that is not one; the connection's peer when it is not a trusted proxy.
    var clientAddress: String?
    /// Whether a trusted proxy said the browser used HTTPS (`X-Forwarded-Proto`).
    var forwardedHTTPS = false
    /// The host the browser used, as a trusted proxy reported it (`X-Forwarded-Host`).
    var forwardedHost: String?

    /// The connection's peer alone (no headers believed).
    init(peer: SocketAddress?) {
        self.clientAddress = peer?.ipAddress.flatMap(IPAddressText.canonical)
    }

    /// Resolves `request` arriving from `peer`.
    init(_ request: Request, peer: SocketAddress?, trusting proxies: TrustedProxies) {
        self.init(peer: peer)
        guard let peerAddress = clientAddress, proxies.contains(peerAddress) else { return }
        let hops = request.headers[values: .xForwardedFor].flatMap { $0.split(separator: ",") }
        for hop in hops.reversed() {
            // A hop that is no address ends the walk: what lies to its left cannot be placed.
            guard let address = IPAddressText.canonical(hop) else { break }
            clientAddress = address
            guard proxies.contains(address) else { break }
        }
        // The right-most value is the one the nearest (trusted) proxy wrote.
        forwardedHTTPS = Self.lastValue(request, .xForwardedProto)?.lowercased() == "https"
        forwardedHost = Self.lastValue(request, .xForwardedHost)
    }

    private static func lastValue(_ request: Request, _ name: HTTPField.Name) -> String? {
        let value = request.headers[values: name].flatMap { $0.split(separator: ",") }.last?.trimmingCharacters(in: .whitespaces)
        return value.flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// Sets ``AppRequestContext/origin`` from the forwarded headers of trusted proxies.
struct RequestOriginMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let trustedProxies: TrustedProxies

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.origin = RequestOrigin(request, peer: context.remoteAddress, trusting: trustedProxies)
        return try await next(request, context)
    }
}
