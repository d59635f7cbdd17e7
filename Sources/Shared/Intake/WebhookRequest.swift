/// A webhook request as the interpreter sees it: method, query, lower-cased headers, raw body.
public struct WebhookRequest: Sendable {
    public var method: String
    public var query: [String: String]
    /// Header names lower-cased; repeated headers joined with ", ".
    public var headers: [String: String]
    public var contentType: String?
    public var body: [UInt8]
    /// The query string exactly as received, without `?` (Twilio signs the URL with it).
    public var rawQuery: String?
    /// The URL the outside world sent this request to, without a query: `PUBLIC_BASE_URL` +
    /// `/hooks/<token>`; nil when that setting is not configured. A source's `public_url` config
    /// takes precedence (see ``WebhookInterpreter``).
    public var publicURL: String?

    /// Describes a request.
    public init(
        method: String,
        query: [String: String] = [:],
        headers: [String: String],
        contentType: String?,
        body: [UInt8],
        rawQuery: String? = nil,
        publicURL: String? = nil
    ) {
        self.method = method
        self.query = query
        self.headers = headers
        self.contentType = contentType
        self.body = body
        self.rawQuery = rawQuery
        self.publicURL = publicURL
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
    /// Replies and delivery statuses of messages (no leads), recorded together with the event;
    /// `externalEventId` dedupes re-deliveries; `answer` is what the provider expects back (TwiML).
    case messaging([MessagingEvent], externalEventId: String?, answer: WebhookReplyBody)
}
