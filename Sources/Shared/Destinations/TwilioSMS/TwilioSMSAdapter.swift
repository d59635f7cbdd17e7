import Foundation

extension DestinationKind {
    /// Twilio Programmable Messaging: a text message to the lead's phone.
    public static let twilioSMS = DestinationKind(declaring: "twilio_sms")
}

/// Twilio SMS: one message per lead to its E.164 phone, from a Twilio number (`from`) or a
/// Messaging Service, with a body rendered from a ``MessageTemplate``. One message per second per
/// sender by default (a US/CA long code's rate; raise it for toll-free or short codes), retried
/// on 429/20429 and 5xx, permanent on Twilio's per-recipient errors (``TwilioErrorCode``).
struct TwilioSMSAdapter: DestinationAdapter {
    /// The name in messages.
    static let name = "Twilio SMS"

    let kind = DestinationKind.twilioSMS
    var displayName: String { Self.name }

    let configFields = [
        DestinationConfigField("account_sid", "accountSid", required: true, help: "The Twilio account SID (AC…)."),
        DestinationConfigField("from", help: "The sending Twilio number in E.164 (+15017122661); or set messaging_service_sid."),
        DestinationConfigField("messaging_service_sid", "messagingServiceSid", help: "A Messaging Service (MG…) to send through instead of from."),
        DestinationConfigField(
            "body",
            required: true,
            help: "The text, a Mustache template over the lead's fields: Hi {{first_name}}, thanks for contacting {{tenant_name}}."
        ),
        DestinationConfigField(
            "status_callback_url",
            "statusCallbackUrl",
            help: "Where Twilio posts delivery statuses: the URL of the tenant's twilio webhook source (/hooks/<token>)."
        ),
        DestinationConfigField("api_base_url", "apiBaseUrl", help: "Twilio's API base URL (tests and proxies); default https://api.twilio.com."),
    ]

    var exampleConfig: [String: JSONValue] {
        [
            "account_sid": .string("ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"), "from": .string("+15017122661"),
            "body": .string("Hi {{first_name}}, thanks for your interest in {{tenant_name}}! Reply STOP to opt out."),
        ]
    }

    /// `twilio:<account>:<sender>`: one message per second per sender, 6 attempts with backoff.
    func defaultPolicy(name: String, config: [String: JSONValue]) -> DestinationPolicy {
        let reader = DestinationConfig(config, kindName: Self.name)
        let account = (try? reader.string("account_sid", "accountSid")) ?? nil
        let sender = (try? TwilioMessageRequest.sender(reader)) ?? nil
        return DestinationPolicy(
            accountKey: "twilio:\(account ?? name):\(sender ?? name)",
            rateLimitRequests: 1,
            rateLimitIntervalMilliseconds: 1_000,
            maxAttempts: 6
        )
    }

    /// The common field checks, then: an AC… account, exactly one of `from` (E.164) and
    /// `messaging_service_sid`, a body template that names only known fields.
    func validate(config: [String: JSONValue]) throws(DeliveryBuildError) {
        try validateFields(config)
        try TwilioMessageRequest.validate(DestinationConfig(config, kindName: Self.name))
    }

    func request(for lead: DeliveryLead, to destination: Destination, secret: String?) throws(DeliveryBuildError) -> DeliveryRequest {
        try TwilioMessageRequest.build(lead: lead, destination: destination, secret: secret)
    }

    /// Twilio's message list, read before sending again after an attempt that may have sent the
    /// message (``TwilioDuplicateCheck``).
    func duplicateCheck(since: Date, sending request: DeliveryRequest, to destination: Destination, secret: String?) -> DuplicateCheck? {
        TwilioDuplicateCheck.build(since: since, sending: request, destination: destination, secret: secret)
    }

    /// 200/201 with the message's `sid` (`SM…`), its external id.
    func successOutcome(_ answer: DeliveryAnswer, destination: Destination, scrubber: SecretScrubber) -> DeliveryOutcome? {
        guard (200...299).contains(answer.status) else { return nil }
        guard case .string(let sid)? = answer.json?.objectMembers?["sid"], !sid.isEmpty else {
            return .permanent(
                reason: "Twilio answered HTTP \(answer.status) without a message sid",
                httpStatus: answer.status,
                errorClass: .unexpectedResponse,
                responseExcerpt: answer.excerpt
            )
        }
        return .succeeded(externalId: sid, httpStatus: answer.status, responseExcerpt: answer.excerpt)
    }

    /// Twilio's error `code` first (``TwilioErrorCode``), then the common HTTP rules.
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
            refiningFailuresWith: TwilioErrorCode.classify
        )
    }
}
