import NIOCore

/// Which addresses LeadRelay may call on a tenant's behalf (destinations, the Graph API, other
/// configurable base URLs). By default only public addresses: a tenant member must not be able to
/// make the worker call `127.0.0.1`, `169.254.169.254` or `*.railway.internal` and read the answer
/// back from the attempt log. `LEADRELAY_ALLOW_PRIVATE_NETWORKS=true` allows every address (local
/// runs, tests, benchmarks); an operator may allow them for one destination (an on-premises CRM).
public struct OutboundAddressPolicy: Sendable, Hashable {
    /// Every address may be called (`LEADRELAY_ALLOW_PRIVATE_NETWORKS=true`).
    public var allowPrivateNetworks: Bool

    /// A policy; private networks are refused unless `allowPrivateNetworks`.
    public init(allowPrivateNetworks: Bool = false) {
        self.allowPrivateNetworks = allowPrivateNetworks
    }

    /// Allows every address.
    public static let allowingPrivateNetworks = OutboundAddressPolicy(allowPrivateNetworks: true)
    /// Allows public addresses only.
    public static let publicOnly = OutboundAddressPolicy(allowPrivateNetworks: false)

    /// Host names that only ever mean a private host, refused before any lookup.
    static let privateNameSuffixes = [".localhost", ".internal", ".local", ".localdomain", ".home.arpa"]

    /// Why `host` may not be called by name alone (`localhost`, `*.internal`…), or nil.
    public func refusal(forName host: String, allowPrivateNetwork: Bool = false) -> OutboundRefusal? {
        guard !allowPrivateNetworks, !allowPrivateNetwork else { return nil }
        let name = host.lowercased().trimmingSuffix(".")
        if name == "localhost" { return OutboundRefusal(host: host, address: nil, addressClass: .loopback) }
        if Self.privateNameSuffixes.contains(where: { name.hasSuffix($0) }) {
            return OutboundRefusal(host: host, address: nil, addressClass: .private)
        }
        return nil
    }

    /// Why `host`, resolving to `addresses`, may not be called, or nil. One private address among
    /// them is enough to refuse: which one a connection would use is not ours to choose.
    public func refusal(host: String, addresses: [SocketAddress], allowPrivateNetwork: Bool = false) -> OutboundRefusal? {
        guard !allowPrivateNetworks, !allowPrivateNetwork else { return nil }
        for address in addresses {
            let addressClass = NetworkAddressClass(address)
            if addressClass.isPrivate {
                return OutboundRefusal(host: host, address: address.ipAddress ?? "\(address)", addressClass: addressClass)
            }
        }
        return nil
    }
}

extension String {
    /// The string without one trailing `suffix`.
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
