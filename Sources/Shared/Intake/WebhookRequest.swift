/// A webhook request as the interpreter sees it: method, query, lower-cased headers, raw body.
public struct WebhookRequest: Sendable {
    public var method: String
    public var query: [String: String]
    /// Header names lower-cased; repeated headers joined with ", ".
    public var headers: [String: String]
    public var contentType: String?
    public var body: [UInt8]

    /// Describes a request.
    public init(method: String, query: [String: String] = [:], headers: [String: String], contentType: String?, body: [UInt8]) {
        self.method = method
        self.query = query
        self.headers = headers
        self.contentType = contentType
        self.body = body
    }

    /// Headers worth keeping with the recorded event: everything but credentials.
    public var recordableHeaders: [String: String] {
        headers.filter { !["authorization", "cookie", "proxy-authorization", "x-api-key"].contains($0.key) }
    }
}

/// What a webhook request amounts to.
public enum WebhookInterpretation: Sendable {
    /// Lead objects to normalize and store; `externalEventId` dedupes re-deliveries of the event.
    case leads([[String: JSONValue]], externalEventId: String?)
    /// A handshake to answer with this body (monday challenge, Meta GET verification).
    case challenge(contentType: String, body: [UInt8])
    /// Nothing to store as a lead (another table, another event type); recorded as ignored.
    case ignored(String, externalEventId: String?)
    /// The answers must be fetched from the provider by a background job.
    case fetch(String)
}
