import Foundation
import NIOCore

/// Decides whether a URL may be called under an ``OutboundAddressPolicy`` and, for a host name,
/// which addresses it resolves to (cached for ``OutboundHTTPClient/resolutionLifetime``). Used by
/// ``OutboundHTTPClient`` before each request, and by forms to refuse a private URL when it is saved.
public struct OutboundTargetChecker: Sendable {
    /// Where a checked request goes.
    public enum Target: Sendable, Hashable {
        /// Straight through: an IP literal, or any URL when private networks are allowed.
        case direct
        /// A host name, to be connected to one of these (checked) addresses only.
        case resolved(host: String, addresses: [SocketAddress])
    }

    /// What may be called.
    public let policy: OutboundAddressPolicy
    let resolver: any HostResolving
    let cache: ResolvedHostCache

    /// A checker under `policy`, resolving names with `resolver`.
    public init(policy: OutboundAddressPolicy, resolver: any HostResolving = SystemHostResolver()) {
        self.policy = policy
        self.resolver = resolver
        self.cache = ResolvedHostCache()
    }

    /// Where a request to `url` may go. `allowPrivateNetwork` is a destination's own permission.
    ///
    /// - Throws: ``OutboundRefusal`` for a private target, ``UnsupportedURLSchemeError`` for
    ///   anything but http(s), ``HostLookupError`` when the name does not resolve.
    public func check(_ url: String, allowPrivateNetwork: Bool = false) async throws -> Target {
        // Everything allowed (local runs, tests, benchmarks): only the scheme matters, and an
        // http(s) prefix settles it without parsing the URL on every delivery.
        if policy.allowPrivateNetworks, Self.hasHTTPScheme(url) { return .direct }
        // The host exactly as AsyncHTTPClient reads it (`URL.host`, IPv6 brackets trimmed).
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased() else { return .direct }
        guard scheme == "http" || scheme == "https" else { throw UnsupportedURLSchemeError(scheme: scheme) }
        if policy.allowPrivateNetworks { return .direct }
        guard var host = parsed.host, !host.isEmpty else { return .direct }  // the HTTP client reports it as invalid
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if let literal = try? SocketAddress(ipAddress: host, port: 0) {
            if let refusal = policy.refusal(host: host, addresses: [literal], allowPrivateNetwork: allowPrivateNetwork) {
                throw refusal
            }
            return .direct
        }
        if let refusal = policy.refusal(forName: host, allowPrivateNetwork: allowPrivateNetwork) { throw refusal }
        let addresses: [SocketAddress]
        if let cached = await cache.addresses(of: host, lifetime: OutboundHTTPClient.resolutionLifetime) {
            addresses = cached
        } else {
            addresses = try await resolver.addresses(of: host)
            await cache.remember(addresses, of: host)
        }
        if let refusal = policy.refusal(host: host, addresses: addresses, allowPrivateNetwork: allowPrivateNetwork) {
            throw refusal
        }
        return .resolved(host: host, addresses: addresses)
    }

    /// Whether `url` starts with `http://` or `https://`, in any letter case.
    static func hasHTTPScheme(_ url: String) -> Bool {
        let head = url.utf8.prefix(8).map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }  // ASCII letters in lower case
        return head.starts(with: "http://".utf8) || head.starts(with: "https://".utf8)
    }

    /// Why `url` may not be called, or nil: for forms that save a URL. A name that does not
    /// resolve (yet) passes; requests are checked again when they are sent.
    public func refusal(for url: String, allowPrivateNetwork: Bool = false) async -> (any Error)? {
        do {
            _ = try await check(url, allowPrivateNetwork: allowPrivateNetwork)
            return nil
        } catch let error as OutboundRefusal {
            return error
        } catch let error as UnsupportedURLSchemeError {
            return error
        } catch {
            return nil
        }
    }
}

extension OutboundTargetChecker {
    /// Why the URLs `destination`'s own settings point at may not be called, each with the form
    /// field it comes from (``Destination/configuredURLs``), under the destination's permission:
    /// what the dashboard and `leadctl` refuse when a destination is saved.
    public func refusals(of destination: Destination) async -> [(field: String, reason: any Error)] {
        var refusals: [(field: String, reason: any Error)] = []
        for (field, url) in destination.configuredURLs {
            if let reason = await refusal(for: url, allowPrivateNetwork: destination.allowPrivateNetwork) {
                refusals.append((field, reason))
            }
        }
        return refusals
    }
}

/// What host names resolved to recently.
actor ResolvedHostCache {
    private var entries: [String: (addresses: [SocketAddress], at: ContinuousClock.Instant)] = [:]

    /// The addresses `host` resolved to less than `lifetime` ago, or nil.
    func addresses(of host: String, lifetime: Duration) -> [SocketAddress]? {
        guard let entry = entries[host], ContinuousClock.now - entry.at < lifetime else { return nil }
        return entry.addresses
    }

    /// Remembers what `host` resolved to.
    func remember(_ addresses: [SocketAddress], of host: String) {
        if entries.count > 10_000 { entries.removeAll() }
        entries[host] = (addresses, .now)
    }
}
