extension DestinationKind {
    /// GoHighLevel API v2 (LeadConnector).
    public static let ghl = DestinationKind(declaring: "ghl")
    /// GoHighLevel API v1 (end of life, still used by older accounts).
    public static let ghlV1 = DestinationKind(declaring: "ghl_v1")
}

/// GoHighLevel, one adapter per API: contacts upserted per location (v2, ``GHLContactRequest``)
/// or created with the location API key (v1, ``GHLV1ContactRequest``); the duplicate-contact 400
/// counts as delivered; 100 calls per 10 s per location; contacts looked up for reconciliation.
struct GoHighLevelAdapter: DestinationAdapter {
    /// Which API this adapter speaks.
    let api: GoHighLevelAPI
    let kind: DestinationKind
    let configFields: [DestinationConfigField]

    /// The adapter for `api`.
    init(api: GoHighLevelAPI) {
        self.api = api
        switch api {
        case .v2:
            kind = .ghl
            configFields =
                [
                    DestinationConfigField("locationId", "location_id", required: true, help: "The sub-account (location) id."),
                    DestinationConfigField("country", help: "The contact's country, 2 letters (US)."),
                ] + GoHighLevelConfigFields.contact
        case .v1:
            kind = .ghlV1
            configFields =
                [
                    DestinationConfigField("locationId", "location_id", help: "The location id; names the rate-limit account only.")
                ] + GoHighLevelConfigFields.contact
        }
    }

    var displayName: String { api.displayName }

    var exampleConfig: [String: JSONValue] { ["locationId": .string("ve9EPM428h8vShlRW1KT")] }

    /// `ghl:<locationId>` (else the name), one rate limit per location: 100 requests per 10 s.
    func defaultPolicy(name: String, config: [String: JSONValue]) -> DestinationPolicy {
        DestinationPolicy(
            accountKey: "ghl:" + (config["locationId"]?.scalarText ?? name),
            rateLimitRequests: 100,
            rateLimitIntervalMilliseconds: 10_000
        )
    }

    func validate(config: [String: JSONValue]) throws(DeliveryBuildError) {
        try validateFields(config)
        try GoHighLevelConfigFields.validateContactFields(config, displayName: displayName)
    }

    func request(for lead: DeliveryLead, to destination: Destination, secret: String?) throws(DeliveryBuildError) -> DeliveryRequest {
        switch api {
        case .v2: try GHLContactRequest.build(lead: lead, destination: destination, secret: secret)
        case .v1: try GHLV1ContactRequest.build(lead: lead, destination: destination, secret: secret)
        }
    }

    func successOutcome(_ answer: DeliveryAnswer, destination: Destination, scrubber: SecretScrubber) -> DeliveryOutcome? {
        GoHighLevelSuccess.outcome(answer)
    }

    func contactLookup(for destination: Destination, token: String) throws(ReconcileError) -> (any DestinationContactLookup)? {
        try GHLContactLookup(api: api, destination: destination, token: token)
    }

    var supportsContactLookup: Bool { true }
}
