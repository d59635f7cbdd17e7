import Foundation
import NIOHTTP1

/// SendGrid's v3 Mail Send: `POST {base}/v3/mail/send` with a Bearer API key and one
/// personalization to the lead, whose `custom_args` carry `delivery_id` and `lead_id` (SendGrid's
/// event webhooks echo them). Content is `text/plain`, then `text/html` when configured.
enum SendGridMailRequest {
    /// SendGrid's API base URL.
    static let defaultBaseURL = "https://api.sendgrid.com"

    /// The request for `lead`; a lead without an email is skipped (``DeliveryBuildError/noAddress(_:)``).
    static func build(lead: DeliveryLead, destination: Destination, secret: String?) throws(DeliveryBuildError) -> DeliveryRequest {
        let config = DestinationConfig(destination, kindName: SendGridAdapter.name)
        let key = try DestinationRequestBuilder.requireSecret(secret, for: destination)
        let content = try EmailContent(lead: lead, config: config)

        var to: [String: JSONValue] = ["email": .string(content.recipient)]
        if let name = content.recipientName { to["name"] = .string(name) }
        var customArguments: [String: JSONValue] = ["lead_id": .string(String(lead.id))]
        if let deliveryId = lead.deliveryId { customArguments["delivery_id"] = .string(String(deliveryId)) }
        var from: [String: JSONValue] = ["email": .string(content.from)]
        if let name = content.fromName { from["name"] = .string(name) }
        var parts: [JSONValue] = [.object(["type": "text/plain", "value": .string(content.text)])]
        if let html = content.html { parts.append(.object(["type": "text/html", "value": .string(html)])) }
        let categories = try config.strings("categories")

        var body: [String: JSONValue] = [
            "personalizations": .array([.object(["to": .array([.object(to)]), "custom_args": .object(customArguments)])]),
            "from": .object(from),
            "subject": .string(content.subject),
            "content": .array(parts),
            "headers": .object(["List-Unsubscribe": .string(content.listUnsubscribe)]),
            "categories": .array((categories.isEmpty ? ["leadrelay"] : categories).map(JSONValue.string)),
        ]
        if let replyTo = content.replyTo { body["reply_to"] = .object(["email": .string(replyTo)]) }

        var base = destination
        if let override = try config.string("api_base_url", "apiBaseUrl") { base.baseURL = override }
        var headers = DestinationRequestBuilder.jsonHeaders()
        headers.add(name: "Authorization", value: "Bearer \(key)")
        return DeliveryRequest(
            method: .POST,
            url: try DestinationRequestBuilder.endpoint(base, defaultBase: defaultBaseURL, path: "/v3/mail/send"),
            headers: headers,
            body: JSONBodyWriter.bytes(.object(body)),
            secret: key,
            message: content.outboundMessage
        )
    }
}
