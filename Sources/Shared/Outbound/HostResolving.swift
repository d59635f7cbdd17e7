import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Looks a host name up, returning every address it resolves to.
public protocol HostResolving: Sendable {
    /// Every address `host` resolves to (IPv4 and IPv6), in the resolver's order.
    func addresses(of host: String) async throws -> [SocketAddress]
}

/// A host name that could not be looked up (no such name, no answer).
public struct HostLookupError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The name looked up.
    public var host: String
    /// The resolver's reason.
    public var reason: String

    /// `host` could not be looked up, for `reason`.
    public init(host: String, reason: String) {
        self.host = host
        self.reason = reason
    }

    public var description: String { "could not resolve \(host): \(reason)" }
}

/// The system resolver (`getaddrinfo`, which reads `/etc/hosts` and the configured DNS servers),
/// called on a thread pool: it blocks, so it must not run on the cooperative pool.
public struct SystemHostResolver: HostResolving {
    let threadPool: NIOThreadPool

    /// A resolver whose lookups run on `threadPool`.
    public init(threadPool: NIOThreadPool = .singleton) {
        self.threadPool = threadPool
    }

    public func addresses(of host: String) async throws -> [SocketAddress] {
        try await threadPool.runIfActive { try Self.lookUp(host) }
    }

    /// `getaddrinfo` for stream sockets; blocks.
    static func lookUp(_ host: String) throws -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Darwin)
        hints.ai_socktype = SOCK_STREAM
        #else
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0 else {
            throw HostLookupError(host: host, reason: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(list) }
        var addresses: [SocketAddress] = []
        var next = list
        while let entry = next?.pointee {
            next = entry.ai_next
            guard let raw = entry.ai_addr else { continue }
            switch entry.ai_family {
            case AF_INET:
                let address = raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee }
                addresses.append(SocketAddress(address, host: host))
            case AF_INET6:
                let address = raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee }
                addresses.append(SocketAddress(address, host: host))
            default:
                continue
            }
        }
        guard !addresses.isEmpty else { throw HostLookupError(host: host, reason: "no IPv4 or IPv6 address") }
        return addresses
    }
}
