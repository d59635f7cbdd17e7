import Foundation
import NIOHTTP1

extension DestinationKind {
    /// SendGrid's v3 Mail Send API: an email to the lead.
    public static let sendGrid = DestinationKind(declaring: "sendgrid")
}

/// SendGrid: one email per lead to its address (``SendGridMailRequest``), with a subject, a text
/// and optionally an HTML part rendered from the lead. 202 is success and `X-Message-Id` the
/// external id. 429 waits until `X-RateLimit-Reset` (the common rules read it); 5xx retries;
/// 400 and 413 are permanent; 401 and 403 (a refused key, or a sender that is not verified)
/// suspend the destination instead of failing every lead.
///
/// SendGrid has no idempotency key: a call that timed out after SendGrid accepted it is sent
/// again on retry (`custom_args.delivery_id` lets the two be told apart in SendGrid's activity).
struct SendGridAdapter: DestinationAdapter {
    /// The name in messages.
    static let name = "SendGrid"

    let kind = DestinationKind.sendGrid
    var displayName: String { Self.name }

    let configFields =
        EmailContent.configFields + [
            DestinationConfigField("categories", shape: .strings, help: "SendGrid categories for its statistics; default [\"leadrelay\"]."),
            DestinationConfigField(
                "api_base_url",
                "apiBaseUrl",
                help: "SendGrid's API base URL (tests and proxies); default https://api.sendgrid.com."
            ),
        ]

    var exampleConfig: [String: JSONValue] {
        [
            "from": .string("leads@example.com"), "from_name": .string("Example Roofing"), "reply_to": .string("replies@example.com"),
            "subject": .string("{{first_name}}, thanks for contacting {{tenant_name}}"),
            "text": .string("Hi {{first_name}},\n\nThanks for your request. We will call you today.\n\n{{tenant_name}}"),
        ]
    }

    /// `sendgrid:<destination name>` (one API key per destination; give destinations that share a
    /// key the same account key): 100 emails per second, 6 attempts with backoff. SendGrid
    /// publishes no fixed limit for Mail Send; its 429 says when to come back.
    func defaultPolicy(name: String, config: [String: JSONValue]) -> DestinationPolicy {
        DestinationPolicy(accountKey: "sendgrid:\(name)", rateLimitRequests: 100, rateLimitIntervalMilliseconds: 1_000, maxAttempts: 6)
    }

    /// The common field checks, then the addresses and templates (``EmailContent/validate(_:)``).
    func validate(config: [String: JSONValue]) throws(DeliveryBuildError) {
        try validateFields(config)
        try EmailContent.validate(DestinationConfig(config, kindName: Self.name))
    }

    func request(for lead: DeliveryLead, to destination: Destination, secret: String?) throws(DeliveryBuildError) -> DeliveryRequest {
        try SendGridMailRequest.build(lead: lead, destination: destination, secret: secret)
    }

    /// 2xx (202 Accepted) with `X-Message-Id`, the external id (nil when SendGrid did not send it).
    func successOutcome(_ answer: DeliveryAnswer, destination: Destination, scrubber: SecretScrubber) -> DeliveryOutcome? {
        guard (200...299).contains(answer.status) else { return nil }
        let id = answer.response.headers.first(name: "X-Message-Id").flatMap { $0.isEmpty ? nil : $0 }
        return .succeeded(externalId: id, httpStatus: answer.status, responseExcerpt: answer.excerpt)
    }

    /// The common HTTP rules, with 401 and 403 suspending the destination.
    func classify(
        _ response: DeliveryResponse,
        destination: Destination,
        scrubber: SecretScrubber,
        excerptLimit: Int,
        now: Date
    ) -> DeliveryOutcome {
        classify(response, destination: destination, scrubber: scrubber, excerptLimit: excerptLimit, now: now) { response, common in
            guard response.status == 401 || response.status == 403 else { return common }
            let meaning =
                response.status == 401
                ? "SendGrid refused the API key: replace the credential"
                : "SendGrid refused the request (HTTP 403: the key lacks Mail Send permission, or from is not a verified sender)"
            return .retryable(
                reason: meaning + (common.reason.map { " — \($0)" } ?? ""),
                httpStatus: response.status,
                retryAfter: nil,
                errorClass: .credentialRejected,
                responseExcerpt: common.responseExcerpt
            )
        }
    }
}
