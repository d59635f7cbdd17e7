import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import Logging
import NIOCore
import Shared

/// The per-request context of the ingestion API and the dashboard.
public struct AppRequestContext: RequestContext, SessionRequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The API key that authenticated the request (set by ``APIKeyMiddleware``).
    public var apiKey: APIKey?
    /// What this request adds to its access-log line.
    public let accessLog = AccessLogMetadata()
    /// The dashboard session (loaded and saved by hummingbird-auth's `SessionMiddleware`).
    public let sessions = SessionContext<DashboardSession>()
    /// The signed-in dashboard user (set by ``DashboardAuthMiddleware``).
    public var dashboardUser: DashboardUser?
    /// The submitted form of an unsafe dashboard request, parsed once and CSRF-checked by
    /// ``DashboardAuthMiddleware``.
    var dashboardForm: FormBody?
    /// The peer of the connection (the proxy, when behind one).
    public let remoteAddress: SocketAddress?
    /// Who sent the request: the connection's peer, or what a trusted proxy says (set by
    /// ``RequestOriginMiddleware`` on the dashboard's routes).
    var origin: RequestOrigin

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.apiKey = nil
        self.remoteAddress = source.channel.remoteAddress
        self.origin = RequestOrigin(peer: remoteAddress)
    }

    /// The client's address (see ``RequestOrigin/clientAddress``): for sign-in throttling and the audit log.
    var clientAddress: String? { origin.clientAddress }

    /// Bodies are collected up to this size unless a route streams or sets its own limit.
    public var maxUploadSize: Int { 1024 * 1024 }

    /// The authenticated key, or a 401 for routes behind ``APIKeyMiddleware``.
    func requireAPIKey() throws -> APIKey {
        guard let apiKey else {
            throw APIError(.unauthorized, code: "unauthorized", message: "missing API key: send Authorization: Bearer <key>")
        }
        return apiKey
    }
}
