import Foundation

extension DestinationKind {
    /// SMTP submission to the tenant's own mail server: an email to the lead.
    public static let smtp = DestinationKind(declaring: "smtp")
}

/// SMTP: one email per lead through the tenant's own mail server (``SMTPSubmissionRequest``,
/// sent by ``SMTPClient``: STARTTLS or TLS from the first byte, AUTH PLAIN or LOGIN). The server's
/// reply is classified by its code (``SMTPReplyClassifier``). Five messages per second per
/// server by default, shared by every worker.
struct SMTPAdapter: DestinationAdapter {
    /// The name in messages.
    static let name = "SMTP"

    let kind = DestinationKind.smtp
    var displayName: String { Self.name }

    let configFields =
        [
            DestinationConfigField("host", required: true, help: "The mail server's host name, e.g. smtp.example.com."),
            DestinationConfigField("port", shape: .integer, help: "Its port; default 587 for starttls, 465 for implicit, 25 for none."),
            DestinationConfigField("tls", help: "starttls (default), implicit (TLS from the first byte, port 465) or none."),
            DestinationConfigField("username", help: "The user for AUTH PLAIN/LOGIN; the password is the destination's secret."),
            DestinationConfigField(
                "trusted_certificate_pem",
                "trustedCertificatePem",
                help: "A PEM certificate trusted besides the system's roots (a company CA or a self-signed server)."
            ),
        ] + EmailContent.configFields

    var exampleConfig: [String: JSONValue] {
        [
            "host": .string("smtp.example.com"), "port": .number(587), "tls": .string("starttls"), "username": .string("leads@example.com"),
            "from": .string("leads@example.com"), "subject": .string("{{first_name}}, thanks for contacting {{tenant_name}}"),
            "text": .string("Hi {{first_name}},\n\nThanks for your request. We will call you today.\n\n{{tenant_name}}"),
        ]
    }

    /// `smtp:<host>`: five messages per second per server, 6 attempts with backoff.
    func defaultPolicy(name: String, config: [String: JSONValue]) -> DestinationPolicy {
        let host = (try? DestinationConfig(config, kindName: Self.name).string("host")) ?? nil
        return DestinationPolicy(
            accountKey: "smtp:\(host?.lowercased() ?? name)",
            rateLimitRequests: 5,
            rateLimitIntervalMilliseconds: 1_000,
            maxAttempts: 6
        )
    }

    /// The common field checks, then the server settings, the addresses and the templates.
    func validate(config: [String: JSONValue]) throws(DeliveryBuildError) {
        try validateFields(config)
        let reader = DestinationConfig(config, kindName: Self.name)
        _ = try SMTPSubmissionRequest.configuration(reader, password: "unchecked")
        try EmailContent.validate(reader)
    }

    func request(for lead: DeliveryLead, to destination: Destination, secret: String?) throws(DeliveryBuildError) -> DeliveryRequest {
        try SMTPSubmissionRequest.build(lead: lead, destination: destination, secret: secret)
    }

    /// Not used: ``classify(_:destination:scrubber:excerptLimit:now:)`` reads reply codes.
    func successOutcome(_ answer: DeliveryAnswer, destination: Destination, scrubber: SecretScrubber) -> DeliveryOutcome? { nil }

    /// The mail server's reply code, not HTTP's rules (``SMTPReplyClassifier``).
    func classify(
        _ response: DeliveryResponse,
        destination: Destination,
        scrubber: SecretScrubber,
        excerptLimit: Int,
        now: Date
    ) -> DeliveryOutcome {
        SMTPReplyClassifier.classify(response, scrubber: scrubber, excerptLimit: excerptLimit)
    }
}
