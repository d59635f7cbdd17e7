/// The body a provider expects in the answer to a webhook it sent, with its content type.
public struct WebhookReplyBody: Sendable, Hashable {
    public var contentType: String
    public var body: [UInt8]

    /// Describes a body.
    public init(contentType: String, body: [UInt8]) {
        self.contentType = contentType
        self.body = body
    }

    /// Empty TwiML: Twilio takes the webhook and sends no reply to the person (reference §2.5).
    public static let emptyTwiML = WebhookReplyBody(
        contentType: "text/xml",
        body: Array(#"<?xml version="1.0" encoding="UTF-8"?><Response></Response>"#.utf8)
    )
}
