import Foundation

/// The peers whose `X-Forwarded-For`, `X-Forwarded-Proto` and `X-Forwarded-Host` headers are
/// believed (`TRUSTED_PROXIES`): comma-separated networks in CIDR notation or single addresses,
/// IPv4 and IPv6. Empty, the default, trusts nobody: the connection's peer is the client and
/// forwarded headers are ignored.
public struct TrustedProxies: Sendable, Equatable {
    /// One trusted network.
    struct Network: Sendable, Equatable {
        /// The network's address: 4 bytes (IPv4) or 16.
        var bytes: [UInt8]
        var prefixLength: Int

        func contains(_ address: [UInt8]) -> Bool {
            guard address.count == bytes.count else { return false }
            var remaining = prefixLength
            for (byte, networkByte) in zip(address, bytes) where remaining > 0 {
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - min(8, remaining)))
                guard byte & mask == networkByte & mask else { return false }
                remaining -= 8
            }
            return true
        }
    }

    let networks: [Network]

    /// Trusts no peer.
    public static let nobody = TrustedProxies(networks: [])

    init(networks: [Network]) {
        self.networks = networks
    }

    /// Parses `list` (`100.64.0.0/10, fd00::/8, 192.0.2.7`); the first entry that is not an address
    /// or network throws an error naming `variable`.
    public init(parsing list: String, variable: String = "TRUSTED_PROXIES") throws(ConfigurationError) {
        var networks: [Network] = []
        for entry in list.split(separator: ",") {
            let text = entry.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { continue }
            let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            let expected = "must be comma-separated IP addresses or networks such as 10.0.0.0/8 or fd00::/8"
            guard let bytes = IPAddressText.bytes(String(parts[0])) else { throw ConfigurationError(variable: variable, expected: expected) }
            var prefixLength = bytes.count * 8
            if parts.count == 2 {
                guard let value = Int(parts[1]), (0...prefixLength).contains(value) else {
                    throw ConfigurationError(variable: variable, expected: expected)
                }
                prefixLength = value
            }
            networks.append(Network(bytes: bytes, prefixLength: prefixLength))
        }
        self.networks = networks
    }

    /// Whether no peer is trusted.
    public var isEmpty: Bool { networks.isEmpty }

    /// Whether `address` (an IP address as text) lies in a trusted network.
    public func contains(_ address: String) -> Bool {
        guard !networks.isEmpty, let bytes = IPAddressText.bytes(address) else { return false }
        return networks.contains { $0.contains(bytes) }
    }
}
