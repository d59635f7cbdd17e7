import Foundation

extension DestinationKind {
    /// GoHighLevel API v2: add tags to the lead's contact (a sequence step GHL workflows can branch on).
    public static let ghlTags = DestinationKind(declaring: "ghl_tags")
}

/// GoHighLevel tags: adds the configured `tags` to the lead's contact in location `locationId`
/// (``GHLTagsRequest``), so a GoHighLevel workflow triggered by "tag added" can follow what
/// LeadRelay did (a sequence step: `leadrelay-welcome-sent`). Two calls, one attempt: the
/// contact is upserted by the lead's email and phone (its id comes back), then
/// `POST /contacts/{id}/tags` adds the tags, leaving the contact's other tags alone. Success is
/// any 2xx to the second call; the contact id is the external id.
///
/// The upsert's answer follows the GoHighLevel adapter's rules (401/403 and 429 retry, 5xx
/// retry, 422 permanent); the tags call's too, except that "no such contact" (404, or a 400/422
/// saying not found: the contact was deleted between the calls) is a permanent `invalid_lead`.
/// Adding a tag the contact already has changes nothing, so a retry after a timeout is harmless.
struct GHLTagsAdapter: DestinationAdapter {
    /// The name in messages.
    static let name = "GoHighLevel tags"

    let kind = DestinationKind.ghlTags
    var displayName: String { Self.name }

    let configFields = [
        DestinationConfigField("locationId", "location_id", required: true, help: "The sub-account (location) id."),
        DestinationConfigField(
            "tags",
            shape: .strings,
            required: true,
            help: "Tags added to the contact (kept: its other tags); lead fields allowed, like leadrelay-{{source_name}}."
        ),
    ]

    var exampleConfig: [String: JSONValue] {
        ["locationId": .string("ve9EPM428h8vShlRW1KT"), "tags": .array([.string("leadrelay-welcome-sent")])]
    }

    /// `ghl:<locationId>` (else the name), the rate limit shared with the location's `ghl`
    /// destinations; 50 deliveries per 10 s, each making two of GoHighLevel's 100 calls per 10 s.
    func defaultPolicy(name: String, config: [String: JSONValue]) -> DestinationPolicy {
        DestinationPolicy(
            accountKey: "ghl:" + (config["locationId"]?.scalarText ?? config["location_id"]?.scalarText ?? name),
            rateLimitRequests: 50,
            rateLimitIntervalMilliseconds: 10_000
        )
    }

    /// The common field checks, then: at least one tag, each one line that compiles as a template.
    func validate(config: [String: JSONValue]) throws(DeliveryBuildError) {
        try validateFields(config)
        try GHLTagsRequest.validate(DestinationConfig(config, kindName: Self.name))
    }

    func request(for lead: DeliveryLead, to destination: Destination, secret: String?) throws(DeliveryBuildError) -> DeliveryRequest {
        try GHLTagsRequest.build(lead: lead, destination: destination, secret: secret)
    }

    /// Any 2xx (the tags call's answer names no id: the contact id from the upsert is kept).
    func successOutcome(_ answer: DeliveryAnswer, destination: Destination, scrubber: SecretScrubber) -> DeliveryOutcome? {
        guard (200...299).contains(answer.status) else { return nil }
        return .succeeded(externalId: nil, httpStatus: answer.status, responseExcerpt: answer.excerpt)
    }

    /// The common HTTP rules, then "no such contact" is a permanent `invalid_lead`.
    func classify(
        _ response: DeliveryResponse,
        destination: Destination,
        scrubber: SecretScrubber,
        excerptLimit: Int,
        now: Date
    ) -> DeliveryOutcome {
        classify(response, destination: destination, scrubber: scrubber, excerptLimit: excerptLimit, now: now) { response, common in
            guard case .permanent(let reason, let status, _, let excerpt) = common, GHLTagsRequest.meansNoContact(response) else {
                return common
            }
            return .permanent(
                reason: "GoHighLevel has no such contact: \(reason)",
                httpStatus: status,
                errorClass: .invalidLead,
                responseExcerpt: excerpt
            )
        }
    }
}
