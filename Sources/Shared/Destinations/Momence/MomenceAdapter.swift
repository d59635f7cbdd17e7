extension DestinationKind {
    /// Momence's Customer Leads API.
    public static let momence = DestinationKind(declaring: "momence")
}

/// Momence: one customer lead per call with the host's token in the body
/// (``MomenceLeadRequest``), any 2xx delivered, one call per 3 s per host, and slow retries
/// (1 h, 4 h, 24 h, 24 h; 5 attempts) because Momence's limits are strict.
struct MomenceAdapter: DestinationAdapter {
    /// The name in messages.
    static let name = "Momence"

    let kind = DestinationKind.momence
    var displayName: String { Self.name }

    let configFields = [
        DestinationConfigField("hostId", "host_id", required: true, help: "The Momence host (studio) id."),
        DestinationConfigField("sourceId", "source_id", shape: .integer, help: "The lead source id."),
        DestinationConfigField("countryCode", "country_code", help: "The lead's country code (us)."),
        DestinationConfigField(
            "discovery_answer_field",
            "discoveryAnswerField",
            help: "The lead field or extra key holding the discovery answer (default discovery_answer)."
        ),
        DestinationConfigField("discovery_answer", "discoveryAnswer", help: "A fixed discovery answer when the lead has none."),
    ]

    var exampleConfig: [String: JSONValue] { ["hostId": .string("12345"), "sourceId": .number(7)] }

    /// `momence:<hostId>` (else the name), one call per 3 s, retried at 1 h, 4 h, 24 h, 24 h.
    func defaultPolicy(name: String, config: [String: JSONValue]) -> DestinationPolicy {
        DestinationPolicy(
            accountKey: "momence:" + (config["hostId"]?.scalarText ?? name),
            rateLimitRequests: 1,
            rateLimitIntervalMilliseconds: 3_000,
            retryScheduleSeconds: [3_600, 14_400, 86_400, 86_400],
            maxAttempts: 5
        )
    }

    func request(for lead: DeliveryLead, to destination: Destination, secret: String?) throws(DeliveryBuildError) -> DeliveryRequest {
        try MomenceLeadRequest.build(lead: lead, destination: destination, secret: secret)
    }

    /// Any 2xx, with the id at one of ``JSONHTTPSuccessRules/defaultIdPaths``.
    func successOutcome(_ answer: DeliveryAnswer, destination: Destination, scrubber: SecretScrubber) -> DeliveryOutcome? {
        guard (200...299).contains(answer.status) else { return nil }
        return .succeeded(
            externalId: JSONHTTPSuccessRules().externalId(in: answer.json),
            httpStatus: answer.status,
            responseExcerpt: answer.excerpt
        )
    }
}
