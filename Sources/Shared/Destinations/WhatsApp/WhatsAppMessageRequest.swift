import Foundation
import NIOHTTP1

/// WhatsApp Cloud API send: `POST {graph}/{version}/{phone_number_id}/messages` with a Bearer
/// token and a JSON body, `to` being the lead's E.164 phone without `+`:
///
/// - free text (`type: text`) when `text` is configured and the lead wrote to us on WhatsApp less
///   than 24 hours ago (only then does WhatsApp allow it);
/// - otherwise the template (`type: template`, name, language, one body component with the
///   rendered parameters); with no template the delivery fails: "outside the 24 h window".
///
/// `biz_opaque_callback_data` carries `d:<delivery id>`, which status webhooks echo.
enum WhatsAppMessageRequest {
    /// Graph's base URL.
    static let defaultBaseURL = "https://graph.facebook.com"
    /// The Graph version used when none is configured.
    static let defaultVersion = "v21.0"
    /// How long after the lead's last WhatsApp message free text may be sent.
    static let serviceWindow: TimeInterval = 24 * 3600
    /// One message per this long to the same recipient (Meta's pair rate limit, about 6 s).
    static let pairIntervalMilliseconds = 6_000

    /// The request for `lead` at time `now`.
    static func build(lead: DeliveryLead, destination: Destination, secret: String?, now: Date) throws(DeliveryBuildError) -> DeliveryRequest {
        let config = DestinationConfig(destination, kindName: WhatsAppAdapter.name)
        let token = try DestinationRequestBuilder.requireSecret(secret, for: destination)
        let phoneNumberId = try config.requiredString("phone_number_id", "phoneNumberId")
        let recipient = try MessageRecipient.phone(of: lead, channel: "WhatsApp")
        let to = String(recipient.dropFirst())

        var body: [String: JSONValue] = ["messaging_product": "whatsapp", "recipient_type": "individual", "to": .string(to)]
        let text: String
        let windowOpen = lead.lastWhatsAppMessageAt.map { now.timeIntervalSince($0) < serviceWindow } ?? false
        if windowOpen, let free = try config.template("text") {
            text = try MessageRecipient.render(free, field: "text", lead: lead)
            guard !text.isEmpty else { throw .invalidLead("the WhatsApp text renders empty for this lead") }
            body["type"] = "text"
            body["text"] = .object(["preview_url": .bool(false), "body": .string(text)])
        } else {
            guard let template = try config.string("template") else {
                throw .configuration("outside the 24 h window WhatsApp allows only an approved template: configure template")
            }
            var parameters: [JSONValue] = []
            for (index, source) in try config.strings("parameters").enumerated() {
                let value = try MessageRecipient.render(source, field: "parameters[\(index)]", lead: lead)
                guard !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                    throw .invalidLead("WhatsApp template parameter \(index + 1) (\(source)) is empty for this lead")
                }
                parameters.append(.object(["type": "text", "text": .string(value)]))
            }
            var templateBody: [String: JSONValue] = [
                "name": .string(template), "language": .object(["code": .string(try config.string("language") ?? "en_US")]),
            ]
            if !parameters.isEmpty { templateBody["components"] = .array([.object(["type": "body", "parameters": .array(parameters)])]) }
            body["type"] = "template"
            body["template"] = .object(templateBody)
            text = "[template \(template)] " + parameters.compactMap { $0.objectMembers?["text"]?.scalarText }.joined(separator: " | ")
        }
        if let deliveryId = lead.deliveryId { body["biz_opaque_callback_data"] = .string("d:\(deliveryId)") }

        var base = destination
        if let override = try config.string("graph_base_url", "graphBaseUrl") { base.baseURL = override }
        let version = try config.string("api_version", "apiVersion") ?? defaultVersion
        let path = "/\(DestinationRequestBuilder.pathSegment(version))/\(DestinationRequestBuilder.pathSegment(phoneNumberId))/messages"
        var headers = DestinationRequestBuilder.jsonHeaders()
        headers.add(name: "Authorization", value: "Bearer \(token)")
        return DeliveryRequest(
            method: .POST,
            url: try DestinationRequestBuilder.endpoint(base, defaultBase: defaultBaseURL, path: path),
            headers: headers,
            body: JSONBodyWriter.bytes(.object(body)),
            secret: token,
            message: OutboundMessage(
                channel: .whatsapp,
                recipient: recipient,
                sender: phoneNumberId,
                text: text,
                recipientRateLimit: .init(
                    key: "whatsapp-pair:\(phoneNumberId):\(recipient)",
                    requests: 1,
                    intervalMilliseconds: pairIntervalMilliseconds
                )
            )
        )
    }

    /// The checks beyond field shapes (``WhatsAppAdapter/validate(config:)``).
    static func validate(_ config: DestinationConfig) throws(DeliveryBuildError) {
        let phoneNumberId = try config.requiredString("phone_number_id", "phoneNumberId")
        guard !phoneNumberId.isEmpty, phoneNumberId.allSatisfy(\.isASCIIDigit) else {
            throw .configuration("WhatsApp phone_number_id is the numeric id of the business phone number in Meta's WhatsApp Manager")
        }
        let template = try config.string("template")
        let text = try config.template("text")
        guard template != nil || text != nil else {
            throw .configuration("WhatsApp needs a template (to reach leads who have not written to you) or a text")
        }
        if let template, !template.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
            throw .configuration("WhatsApp template must be the template's name (letters, digits and _), like lead_welcome")
        }
        for (index, source) in try config.strings("parameters").enumerated() {
            try MessageRecipient.validateTemplate(source, field: "parameters[\(index)]")
        }
        if let text { try MessageRecipient.validateTemplate(text, field: "text") }
        if let version = try config.string("api_version", "apiVersion") {
            guard version.range(of: #"^v[0-9]+\.[0-9]+$"#, options: .regularExpression) != nil else {
                throw .configuration("WhatsApp api_version must look like v21.0")
            }
        }
    }
}
