/// What sets one JSON-over-HTTP kind apart (``JSONHTTPAdapter`` serves them all): its kind and
/// name, the field map used when the config has no `field_map`, and the generic extras.
struct JSONHTTPStyle: Sendable {
    /// The kind served.
    var kind: DestinationKind
    /// The name in messages (`HTTP`, `NPA`).
    var displayName: String
    /// Which lead values are sent, under which names, when the config has no `field_map`
    /// (`{"<lead field or extra key>": "<their name>"}`; dotted names nest, `"contact.email"`).
    var presetFieldMap: [String: String]
    /// Whether the lead's `extra` object is sent as `extra` when no `field_map` is set (unless
    /// the config's `include_extra` is false).
    var sendsExtra: Bool
    /// Whether requests carry `Idempotency-Key: leadrelay-<lead id>-<destination id>`.
    var sendsIdempotencyKey: Bool
}

extension DestinationKind {
    /// Generic JSON over HTTP, configured per destination.
    public static let http = DestinationKind(declaring: "http")
}

extension JSONHTTPStyle {
    /// Generic HTTP: every standard field under its own name, the lead's `extra` as `extra`, and
    /// an idempotency key.
    static let generic = JSONHTTPStyle(
        kind: .http,
        displayName: "HTTP",
        presetFieldMap: Dictionary(uniqueKeysWithValues: DeliveryLead.standardFieldNames.filter { $0 != "phone_raw" }.map { ($0, $0) }),
        sendsExtra: true,
        sendsIdempotencyKey: true
    )
}
