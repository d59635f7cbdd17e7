extension WebhookReplyBody {
    /// An empty JSON object: what Meta's WhatsApp webhook is answered with (only the 200 matters).
    public static let emptyJSON = WebhookReplyBody(contentType: "application/json; charset=utf-8", body: Array("{}".utf8))
}
