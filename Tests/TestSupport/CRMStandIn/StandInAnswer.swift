import Foundation

/// What a ``CRMStandIn`` answers to one request: status, headers and body, optionally after a
/// delay, or never (a hang, released when the stand-in stops).
public struct StandInAnswer: Sendable {
    /// The HTTP status code.
    public var status: Int
    /// Headers to send.
    public var headers: [(name: String, value: String)]
    /// The body text.
    public var body: String
    /// Wait this long before answering.
    public var delay: Duration?
    /// Never answer (until the stand-in stops).
    public var hangs: Bool

    /// An answer with `status`, `headers` and `body`.
    public init(
        status: Int,
        headers: [(name: String, value: String)] = [],
        body: String = "",
        delay: Duration? = nil,
        hangs: Bool = false
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.delay = delay
        self.hangs = hangs
    }

    /// A JSON answer.
    public static func json(_ status: Int, _ body: String, headers: [(name: String, value: String)] = []) -> Self {
        .init(status: status, headers: [("Content-Type", "application/json")] + headers, body: body)
    }

    /// 200 with a JSON body (default `{}`).
    public static func ok(_ body: String = "{}") -> Self { .json(200, body) }

    /// 201 Created with `{"id": id}` (a generic JSON API).
    public static func created(id: String = "lead-1") -> Self { .json(201, #"{"id":"\#(id)"}"#) }

    /// GoHighLevel v2 upsert success: 200 `{"new": true, "contact": {"id": …}, "traceId": …}`.
    public static func ghlUpsert(contactId: String = "contact-1", new: Bool = true) -> Self {
        .json(
            200,
            #"{"new":\#(new),"contact":{"id":"\#(contactId)","locationId":"loc"},"traceId":"trace-1"}"#,
            headers: [("X-RateLimit-Max", "100"), ("X-RateLimit-Remaining", "99"), ("X-RateLimit-Interval-Milliseconds", "10000")]
        )
    }

    /// GoHighLevel create success: 201 `{"contact": {"id": …}}`.
    public static func ghlCreated(contactId: String = "contact-1") -> Self {
        .json(201, #"{"contact":{"id":"\#(contactId)"}}"#)
    }

    /// GoHighLevel's 400 when the location does not allow duplicates, naming the existing contact.
    public static func ghlDuplicate(contactId: String = "existing-1") -> Self {
        .json(
            400,
            #"{"statusCode":400,"message":"This location does not allow duplicated contacts.","meta":{"contactId":"\#(contactId)","matchingField":"email"}}"#
        )
    }

    /// 400 with a plain reason.
    public static func badRequest(_ message: String = "Bad Request") -> Self {
        .json(400, #"{"statusCode":400,"message":"\#(message)"}"#)
    }

    /// 401 as GoHighLevel sends it.
    public static func unauthorized(_ message: String = "Invalid JWT") -> Self {
        .json(401, #"{"statusCode":401,"message":"\#(message)","error":"Unauthorized"}"#)
    }

    /// 422 with GoHighLevel's list of messages.
    public static func unprocessable(_ messages: [String] = ["Unprocessable Entity"]) -> Self {
        let list = messages.map { "\"\($0)\"" }.joined(separator: ",")
        return .json(422, #"{"statusCode":422,"message":[\#(list)],"error":"Unprocessable Entity"}"#)
    }

    /// 429 with `Retry-After` (when given) and any further headers (e.g. `X-RateLimit-*`).
    public static func rateLimited(retryAfter: String? = nil, headers: [(name: String, value: String)] = []) -> Self {
        .json(
            429,
            #"{"statusCode":429,"message":"Too Many Requests"}"#,
            headers: (retryAfter.map { [("Retry-After", $0)] } ?? []) + headers
        )
    }

    /// 500 (or another 5xx).
    public static func serverError(_ status: Int = 500) -> Self {
        .json(status, #"{"statusCode":\#(status),"message":"Internal server error"}"#)
    }

    /// Cloudflare's "Just a moment…" challenge page (HTML, `cf-ray`, `Server: cloudflare`).
    public static func cloudflareChallenge(_ status: Int = 403) -> Self {
        .init(
            status: status,
            headers: [
                ("Content-Type", "text/html; charset=UTF-8"), ("cf-ray", "8f3c1a2b3c4d5e6f-ORD"),
                ("Server", "cloudflare"), ("cf-mitigated", "challenge"),
            ],
            body: """
                <!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title></head>
                <body><div id="challenge-body-text">Checking your browser before accessing api.momence.com.</div>
                <script src="/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1"></script></body></html>
                """
        )
    }

    /// Never answers; the connection stays open until the client gives up or the stand-in stops.
    public static let hang = StandInAnswer(status: 200, hangs: true)

    /// This answer, sent after `delay`.
    public func delayed(by delay: Duration) -> Self {
        var copy = self
        copy.delay = delay
        return copy
    }
}
