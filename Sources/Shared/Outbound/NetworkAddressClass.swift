import NIOCore

/// What kind of network an IP address belongs to, for deciding whether LeadRelay may call it on a
/// tenant's behalf. Everything but ``public`` is refused unless private networks are allowed.
public enum NetworkAddressClass: String, Sendable, Hashable, CaseIterable {
    /// An address on the public internet.
    case `public`
    /// 127.0.0.0/8, ::1.
    case loopback
    /// 169.254.0.0/16 (cloud metadata services live here), fe80::/10.
    case linkLocal = "link-local"
    /// 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 and 100.64.0.0/10 (carrier-grade NAT).
    case `private`
    /// fc00::/7 (Railway's private network is fd12::/16).
    case uniqueLocal = "unique-local"
    /// 224.0.0.0/4, ff00::/8.
    case multicast
    /// 0.0.0.0/8, :: (reach the local host on most systems).
    case unspecified
    /// 240.0.0.0/4, 255.255.255.255, 192.0.0.0/24, benchmarking, documentation and other ranges
    /// that are never a CRM.
    case reserved

    /// Whether calls to this class need private networks to be allowed.
    public var isPrivate: Bool { self != .public }

    /// The class of `address`; Unix sockets count as ``loopback``.
    public init(_ address: SocketAddress) {
        guard let text = address.ipAddress, let bytes = IPAddressText.bytes(text) else {
            self = .loopback
            return
        }
        self.init(bytes: bytes)
    }

    /// The class of an IP literal (`"10.0.0.1"`, `"::1"`, `"[::1]"`), or nil when `text` is not one.
    public init?(literal text: String) {
        var host = Substring(text)
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        guard let bytes = IPAddressText.bytes(String(host)) else { return nil }
        self.init(bytes: bytes)
    }

    /// The class of an address given as its 4 (IPv4) or 16 (IPv6) bytes.
    init(bytes: [UInt8]) {
        self = bytes.count == 4 ? Self.classify(ipv4: bytes.reduce(0) { $0 << 8 | UInt32($1) }) : Self.classify(ipv6: bytes)
    }

    /// The class of an IPv4 address given as a host-order integer.
    public static func classify(ipv4 address: UInt32) -> Self {
        func inRange(_ network: UInt32, _ prefix: Int) -> Bool {
            let mask: UInt32 = prefix == 0 ? 0 : ~UInt32(0) << (32 - prefix)
            return address & mask == network & mask
        }
        if inRange(0x7F00_0000, 8) { return .loopback }
        if inRange(0x0000_0000, 8) { return .unspecified }
        if inRange(0xA9FE_0000, 16) { return .linkLocal }
        if inRange(0x0A00_0000, 8) || inRange(0xAC10_0000, 12) || inRange(0xC0A8_0000, 16) || inRange(0x6440_0000, 10) {
            return .private
        }
        if inRange(0xE000_0000, 4) { return .multicast }
        if inRange(0xF000_0000, 4) { return .reserved }  // 240/4 and 255.255.255.255
        // IETF protocol assignments, TEST-NET-1/2/3, benchmarking (RFC 2544), 6to4 relay anycast.
        for (network, prefix) in [
            (0xC000_0000, 24), (0xC000_0200, 24), (0xC633_6400, 24), (0xCB00_7100, 24),
            (0xC612_0000, 15), (0xC058_6300, 24),
        ] as [(UInt32, Int)] where inRange(network, prefix) {
            return .reserved
        }
        return .public
    }

    /// The class of an IPv6 address given as its 16 bytes. Addresses that embed an IPv4 address
    /// (IPv4-mapped `::ffff:a.b.c.d`, IPv4-compatible `::a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4
    /// `2002::/16`) are classified by the IPv4 address they reach.
    public static func classify(ipv6 bytes: [UInt8]) -> Self {
        guard bytes.count == 16 else { return .reserved }
        func ipv4(at offset: Int) -> UInt32 {
            bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
        }
        let firstTen = bytes[0..<10].allSatisfy { $0 == 0 }
        if firstTen, bytes[10] == 0xFF, bytes[11] == 0xFF { return classify(ipv4: ipv4(at: 12)) }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) {
            return bytes[15] == 1 ? .loopback : bytes[15] == 0 ? .unspecified : .reserved
        }
        if firstTen, bytes[10] == 0, bytes[11] == 0 { return classify(ipv4: ipv4(at: 12)) }  // ::a.b.c.d
        if bytes[0] == 0x00, bytes[1] == 0x64, bytes[2] == 0xFF, bytes[3] == 0x9B, bytes[4..<12].allSatisfy({ $0 == 0 }) {
            return classify(ipv4: ipv4(at: 12))  // NAT64
        }
        if bytes[0] == 0x20, bytes[1] == 0x02 { return classify(ipv4: ipv4(at: 2)) }  // 6to4
        if bytes[0] == 0xFF { return .multicast }
        if bytes[0] == 0xFE, bytes[1] & 0xC0 == 0x80 { return .linkLocal }
        if bytes[0] & 0xFE == 0xFC { return .uniqueLocal }
        if bytes[0] == 0xFE, bytes[1] & 0xC0 == 0xC0 { return .uniqueLocal }  // deprecated site-local fec0::/10
        if bytes[0] == 0x20, bytes[1] == 0x01, bytes[2] == 0x0D, bytes[3] == 0xB8 { return .reserved }  // documentation
        if bytes[0] & 0xE0 != 0x20 { return .reserved }  // outside 2000::/3, the global unicast space
        return .public
    }
}
