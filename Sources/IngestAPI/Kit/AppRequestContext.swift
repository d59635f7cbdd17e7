import Hummingbird
import Logging
import NIOCore
import Shared

/// The per-request context of the ingestion API.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The API key that authenticated the request (set by ``APIKeyMiddleware``).
    public var apiKey: APIKey?
    /// What this request adds to its access-log line.
    public let accessLog = AccessLogMetadata()

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.apiKey = nil
    }

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
