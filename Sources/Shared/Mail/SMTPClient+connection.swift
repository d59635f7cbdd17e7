import NIOCore
import NIOPosix
import NIOSSL

extension SMTPClient {
    /// The addresses to connect to: nil means by name (no check asked for, or an IP literal that
    /// passed it); else the host's addresses, each checked by ``OutboundTargetChecker`` (connecting
    /// to exactly these means a second lookup cannot swap in a private address).
    ///
    /// - Throws: ``OutboundRefusal`` for a private address not allowed, ``HostLookupError``, or
    ///   ``SMTPError`` (`.permanent`) for a host that is not a plain name or address.
    func checkedAddresses() async throws -> [SocketAddress]? {
        guard let checker = outboundChecker else { return nil }
        let host = configuration.host
        let allowed = host.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || ".-_:".unicodeScalars.contains($0) }
        guard !host.isEmpty, allowed else {
            throw SMTPError(step: .greeting, kind: .permanent, "the SMTP host \(host.debugDescription) is not a host name or IP address")
        }
        // The checker takes URLs: the host alone in one asks exactly the question for the host.
        switch try await checker.check("https://\(host.contains(":") ? "[\(host)]" : host)/", allowPrivateNetwork: allowPrivateNetwork) {
        case .direct:
            return nil
        case .resolved(_, let addresses):
            return addresses.map { address in
                var address = address
                address.port = configuration.port
                return address
            }
        }
    }

    /// Opens the connection (TLS first for `.implicit`), to the first of `addresses` that answers,
    /// or to the configured host by name when nil.
    static func connect(
        _ configuration: SMTPConfiguration,
        addresses: [SocketAddress]?
    ) async throws -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
        let tls = configuration.tls == .implicit ? try tlsContext(configuration) : nil
        let serverHostname = serverHostname(configuration.host)
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connectTimeout(.seconds(10))
        let initializer: @Sendable (any Channel) -> EventLoopFuture<NIOAsyncChannel<ByteBuffer, ByteBuffer>> = { channel in
            channel.eventLoop.makeCompletedFuture {
                if let tls {
                    try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: tls, serverHostname: serverHostname))
                }
                return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
            }
        }
        guard let addresses else {
            return try await bootstrap.connect(host: configuration.host, port: configuration.port, channelInitializer: initializer)
        }
        var lastError: (any Error)?
        for address in addresses {
            do {
                return try await bootstrap.connect(to: address, channelInitializer: initializer)
            } catch {
                lastError = error
            }
        }
        throw lastError ?? SMTPError(step: .greeting, kind: .transient, "\(configuration.host) has no address")
    }

    /// Puts TLS under the live connection after the server's 220 to STARTTLS: the handler goes
    /// first in the pipeline (nearest the socket), so every later byte either way is encrypted,
    /// and it starts its handshake as it is added. Returns when the handshake is done; cancelled
    /// (the session's time limit), it closes the connection, which ends the wait: a server that
    /// never answers the handshake must not hold the session past its limit.
    ///
    /// - Throws: the handshake's error (``tlsFailure(_:_:)`` makes it an ``SMTPError``).
    static func startTLS(on channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>, _ configuration: SMTPConfiguration) async throws {
        let context = try tlsContext(configuration)
        let serverHostname = serverHostname(configuration.host)
        let raw = channel.channel
        let handshake = raw.eventLoop.makePromise(of: Void.self)
        try await raw.eventLoop.submit {
            try raw.pipeline.syncOperations.addHandler(TLSHandshakeWatcher(completing: handshake), position: .first)
            try raw.pipeline.syncOperations.addHandler(
                try NIOSSLClientHandler(context: context, serverHostname: serverHostname),
                position: .first
            )
        }.get()
        try await withTaskCancellationHandler {
            try await handshake.futureResult.get()
        } onCancel: {
            raw.close(promise: nil)
        }
    }

    /// A failed TLS handshake (an untrusted or expired certificate, a name that does not match, no
    /// common protocol) as a `.permanent` ``SMTPError`` at `.startTLS`: retrying will not fix it.
    /// Other TLS errors (the connection cut) stay as they are.
    static func tlsFailure(_ error: NIOSSLError, _ configuration: SMTPConfiguration) -> any Error {
        guard case .handshakeFailed = error else { return error }
        return SMTPError(step: .startTLS, kind: .permanent, "the TLS handshake with \(configuration.host) failed: \(error)")
    }

    /// A client TLS context: TLS 1.2 or later, the system's roots plus the configuration's own.
    static func tlsContext(_ configuration: SMTPConfiguration) throws -> NIOSSLContext {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        let extra = try configuration.additionalTrustRootsPEM.flatMap { try NIOSSLCertificate.fromPEMBytes(Array($0.utf8)) }
        if !extra.isEmpty { tls.additionalTrustRoots = [.certificates(extra)] }
        return try NIOSSLContext(configuration: tls)
    }

    /// The name to send as SNI and verify the certificate against; nil for an IP address (NIOSSL
    /// then checks the certificate against the peer's address).
    static func serverHostname(_ host: String) -> String? {
        (try? SocketAddress(ipAddress: host, port: 0)) == nil ? host : nil
    }
}
