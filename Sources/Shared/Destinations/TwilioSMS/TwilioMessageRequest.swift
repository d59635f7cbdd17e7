import Foundation
import NIOHTTP1

/// Twilio's Messages API: `POST {base}/2010-04-01/Accounts/{account_sid}/Messages.json`,
/// form-encoded `To`, `From` or `MessagingServiceSid`, `Body` and `StatusCallback`, with Basic
/// authentication `account_sid:auth_token`.
///
/// Every attempt of one delivery carries the same `I-Twilio-Idempotency-Token`
/// (`leadrelay-d<delivery id>`), so a retry after a timeout does not send twice where Twilio
/// honours the header.
enum TwilioMessageRequest {
    /// Twilio's API base URL.
    static let defaultBaseURL = "https://api.twilio.com"

    /// The request for `lead`; a lead without an E.164 phone is skipped (``DeliveryBuildError/noAddress(_:)``).
    static func build(lead: DeliveryLead, destination: Destination, secret: String?) throws(DeliveryBuildError) -> DeliveryRequest {
        let config = DestinationConfig(destination, kindName: TwilioSMSAdapter.name)
        let token = try DestinationRequestBuilder.requireSecret(secret, for: destination)
        let account = try config.requiredString("account_sid", "accountSid")
        guard let sender = try self.sender(config) else {
            throw .configuration("Twilio SMS needs from (a Twilio number) or messaging_service_sid")
        }
        let recipient = try MessageRecipient.phone(of: lead, channel: "SMS")
        let body = try MessageRecipient.render(try config.requiredTemplate("body"), field: "body", lead: lead)
        guard !body.isEmpty else { throw .invalidLead("the SMS body renders empty for this lead") }

        var form: [(name: String, value: String)] = [("To", recipient)]
        if let from = try config.string("from") {
            form.append(("From", from))
        } else {
            form.append(("MessagingServiceSid", sender))
        }
        form.append(("Body", body))
        if let callback = try config.string("status_callback_url", "statusCallbackUrl") { form.append(("StatusCallback", callback)) }

        var headers = HTTPHeaders([
            ("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json"),
            ("User-Agent", DestinationRequestBuilder.userAgent),
            ("Authorization", "Basic " + Data("\(account):\(token)".utf8).base64EncodedString()),
        ])
        if let deliveryId = lead.deliveryId { headers.add(name: "I-Twilio-Idempotency-Token", value: "leadrelay-d\(deliveryId)") }
        var base = destination
        if let override = try config.string("api_base_url", "apiBaseUrl") { base.baseURL = override }
        let path = "/2010-04-01/Accounts/\(DestinationRequestBuilder.pathSegment(account))/Messages.json"
        return DeliveryRequest(
            method: .POST,
            url: try DestinationRequestBuilder.endpoint(base, defaultBase: defaultBaseURL, path: path),
            headers: headers,
            body: FormURLEncoded.encode(form),
            secret: token,
            message: OutboundMessage(channel: .sms, recipient: recipient, sender: sender, text: body, segments: SMSSegments(text: body))
        )
    }

    /// The sending account: `from`, else `messaging_service_sid`; nil when neither is set.
    static func sender(_ config: DestinationConfig) throws(DeliveryBuildError) -> String? {
        if let from = try config.string("from") { return from }
        return try config.string("messaging_service_sid", "messagingServiceSid")
    }

    /// The checks beyond field shapes (``TwilioSMSAdapter/validate(config:)``).
    static func validate(_ config: DestinationConfig) throws(DeliveryBuildError) {
        let account = try config.requiredString("account_sid", "accountSid")
        guard account.hasPrefix("AC"), account.count == 34 else {
            throw .configuration("Twilio SMS account_sid must be the 34-character account SID starting with AC")
        }
        let from = try config.string("from")
        let service = try config.string("messaging_service_sid", "messagingServiceSid")
        switch (from, service) {
        case (nil, nil): throw .configuration("Twilio SMS needs from (a Twilio number in E.164) or messaging_service_sid")
        case (.some, .some): throw .configuration("Twilio SMS takes from or messaging_service_sid, not both")
        case (let from?, nil):
            guard MessageRecipient.isE164(from) else {
                throw .configuration("Twilio SMS from must be a number in E.164, like +15017122661 (got \(from))")
            }
        case (nil, let service?):
            guard service.hasPrefix("MG") else { throw .configuration("Twilio SMS messaging_service_sid must start with MG") }
        }
        try MessageRecipient.validateTemplate(try config.requiredTemplate("body"), field: "body")
        if let callback = try config.string("status_callback_url", "statusCallbackUrl") {
            guard let url = URLComponents(string: callback), url.scheme == "https" || url.scheme == "http", url.host != nil else {
                throw .configuration("Twilio SMS status_callback_url must be an absolute http(s) URL")
            }
        }
    }
}
