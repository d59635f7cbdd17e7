import Foundation

extension DestinationKind {
    /// Meta's WhatsApp Cloud API: a template (or, inside the 24 h window, free text) to the lead's phone.
    public static let whatsApp = DestinationKind(declaring: "whatsapp")
}

/// WhatsApp Cloud API: one message per lead to its E.164 phone from a registered business phone
/// number, as an approved template with body parameters rendered from the lead, or as free text
/// when the lead wrote to us on WhatsApp in the last 24 hours (``WhatsAppMessageRequest``). 80
/// messages per second per phone number and one per 6 s to the same person, shared by every
/// worker. Errors are classified by Graph's `error.code` (``WhatsAppErrorCode``).
///
/// Meta offers no idempotency key: a call that timed out after Meta accepted it is sent again on
/// retry. The window is one attempt's timeout (the README says so).
struct WhatsAppAdapter: DestinationAdapter {
    /// The name in messages.
    static let name = "WhatsApp"

    let kind = DestinationKind.whatsApp
    var displayName: String { Self.name }

    let configFields = [
        DestinationConfigField("phone_number_id", "phoneNumberId", required: true, help: "The business phone number id (not the number)."),
        DestinationConfigField("template", help: "An approved template's name (required to message leads who have not written to you)."),
        DestinationConfigField("language", help: "The template's language code (he, en_US); default en_US."),
        DestinationConfigField(
            "parameters",
            shape: .strings,
            help: "The template's body parameters, each a Mustache template: [\"{{first_name}}\"]."
        ),
        DestinationConfigField("text", help: "Free text sent instead of the template while the lead's 24 h window is open."),
        DestinationConfigField("api_version", "apiVersion", help: "The Graph API version; default v21.0."),
        DestinationConfigField("graph_base_url", "graphBaseUrl", help: "Graph's base URL (tests and proxies); default https://graph.facebook.com."),
    ]

    var exampleConfig: [String: JSONValue] {
        [
            "phone_number_id": .string("106540352242922"), "template": .string("lead_welcome"), "language": .string("he"),
            "parameters": .array([.string("{{first_name}}")]),
        ]
    }

    /// `whatsapp:<phone_number_id>`: 80 messages per second, 6 attempts with backoff.
    func defaultPolicy(name: String, config: [String: JSONValue]) -> DestinationPolicy {
        let phoneNumberId = (try? DestinationConfig(config, kindName: Self.name).string("phone_number_id", "phoneNumberId")) ?? nil
        return DestinationPolicy(
            accountKey: "whatsapp:\(phoneNumberId ?? name)",
            rateLimitRequests: 80,
            rateLimitIntervalMilliseconds: 1_000,
            maxAttempts: 6
        )
    }

    /// The common field checks, then: a numeric phone number id, a template or a text, and
    /// templates that name only known fields.
    func validate(config: [String: JSONValue]) throws(DeliveryBuildError) {
        try validateFields(config)
        try WhatsAppMessageRequest.validate(DestinationConfig(config, kindName: Self.name))
    }

    func request(for lead: DeliveryLead, to destination: Destination, secret: String?) throws(DeliveryBuildError) -> DeliveryRequest {
        try WhatsAppMessageRequest.build(lead: lead, destination: destination, secret: secret, now: Date())
    }

    /// 200 with `messages[0].id` (`wamid…`), the external id.
    func successOutcome(_ answer: DeliveryAnswer, destination: Destination, scrubber: SecretScrubber) -> DeliveryOutcome? {
        guard (200...299).contains(answer.status) else { return nil }
        guard case .array(let messages)? = answer.json?.objectMembers?["messages"],
            case .string(let id)? = messages.first?.objectMembers?["id"], !id.isEmpty
        else {
            return .permanent(
                reason: "WhatsApp answered HTTP \(answer.status) without a message id",
                httpStatus: answer.status,
                errorClass: .unexpectedResponse,
                responseExcerpt: answer.excerpt
            )
        }
        return .succeeded(externalId: id, httpStatus: answer.status, responseExcerpt: answer.excerpt)
    }

    /// Graph's `error.code` first (``WhatsAppErrorCode``), then the common HTTP rules.
    func classify(
        _ response: DeliveryResponse,
        destination: Destination,
        scrubber: SecretScrubber,
        excerptLimit: Int,
        now: Date
    ) -> DeliveryOutcome {
        classify(
            response,
            destination: destination,
            scrubber: scrubber,
            excerptLimit: excerptLimit,
            now: now,
            refiningFailuresWith: WhatsAppErrorCode.classify
        )
    }
}
