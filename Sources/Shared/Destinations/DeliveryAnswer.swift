/// An answer as an adapter's success rule sees it: the response, its body parsed when it is
/// JSON, and the excerpt kept for the attempt row (secret masked).
public struct DeliveryAnswer: Sendable {
    /// What the destination answered.
    public let response: DeliveryResponse
    /// The body as JSON, when it is a JSON object or array; nil otherwise.
    public let json: JSONValue?
    /// The trimmed, masked start of the body; nil for an empty body.
    public let excerpt: String?

    /// The HTTP status.
    public var status: Int { response.status }
}
