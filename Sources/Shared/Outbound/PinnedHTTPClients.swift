import AsyncHTTPClient
import NIOCore

/// One `HTTPClient` per host name, each connecting only to the address it was pinned to (its
/// `dnsOverride`). A pin is kept while the name still resolves to its address (round-robin DNS
/// does not churn clients); when it moves,
/// a new client is pinned and the old one is retired, then shut down once no request it carried
/// can still be running. Pins unused for ``idleLifetime`` are retired too.
actor PinnedHTTPClients {
    struct Pin {
        var address: String
        var client: HTTPClient
        var lastUsed: ContinuousClock.Instant
    }

    /// How long a retired client lives on: longer than any request's deadline (destinations allow 120 s).
    static let retirementGrace: Duration = .seconds(300)
    /// Pins not used for this long are retired.
    static let idleLifetime: Duration = .seconds(900)

    let configuration: HTTPClient.Configuration
    let eventLoopGroup: any EventLoopGroup
    private var pins: [String: Pin] = [:]
    private var retired: [(client: HTTPClient, since: ContinuousClock.Instant)] = []

    init(configuration: HTTPClient.Configuration, eventLoopGroup: any EventLoopGroup) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
    }

    /// The client pinned to one of `addresses` for `host` (already checked by the caller).
    func client(host: String, addresses: [SocketAddress]) async throws -> HTTPClient {
        let now = ContinuousClock.now
        let candidates = addresses.compactMap(\.ipAddress)
        if var pin = pins[host], candidates.contains(pin.address) {
            pin.lastUsed = now
            pins[host] = pin
            return pin.client
        }
        guard let address = candidates.first else {
            throw HostLookupError(host: host, reason: "no IP address among the answers")
        }
        var configuration = configuration
        configuration.dnsOverride = [host: address]
        let client = HTTPClient(eventLoopGroup: eventLoopGroup, configuration: configuration)
        if let old = pins[host] { retired.append((old.client, now)) }
        pins[host] = Pin(address: address, client: client, lastUsed: now)
        for (name, pin) in pins where now - pin.lastUsed > Self.idleLifetime {
            pins[name] = nil
            retired.append((pin.client, now))
        }
        try await shutDownRetired(before: now - Self.retirementGrace)
        return client
    }

    /// Shuts every client down.
    func shutdown() async throws {
        let clients = pins.values.map(\.client) + retired.map(\.client)
        pins = [:]
        retired = []
        for client in clients { try await client.shutdown() }
    }

    private func shutDownRetired(before cutoff: ContinuousClock.Instant) async throws {
        let due = retired.filter { $0.since < cutoff }
        guard !due.isEmpty else { return }
        retired.removeAll { $0.since < cutoff }
        for entry in due { try await entry.client.shutdown() }
    }
}
