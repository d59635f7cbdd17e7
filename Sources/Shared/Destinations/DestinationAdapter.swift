import Foundation
import NIOHTTP1

/// Everything LeadRelay knows about one kind of destination, in one folder per destination
/// (`GoHighLevel/`, `Momence/`, `NPA/`, `JSONHTTP/`) and one line in ``DestinationRegistry``:
/// its name, its settings and their defaults, how a lead becomes a request, how the answer is
/// classified, and (optionally) how reconciliation asks whether it still has a contact.
///
/// Nothing outside the adapter folders branches on the kind: the worker, `leadctl`, the
/// dashboard and reconciliation ask the registry for the adapter and call it.
///
/// **Sending.** ``request(for:to:secret:)`` describes the call as a ``DeliveryRequest``: method,
/// URL, headers and body bytes, which may be JSON, form-encoded or anything else the channel
/// speaks. ``classify(_:destination:scrubber:excerptLimit:now:)`` reads a ``DeliveryResponse``
/// (status, headers, raw body bytes; not tied to JSON). A channel that does not speak HTTP
/// (SMTP) adds its transport to ``DeliveryRequest`` and its sender to ``DestinationClient``;
/// adapters, registry and classification keep their shape.
///
/// **Leads that cannot be addressed.** When a lead lacks what the channel needs (no email for an
/// email channel), ``request(for:to:secret:)`` throws ``DeliveryBuildError/invalidLead(_:)``:
/// nothing is sent and the delivery ends with that reason.
public protocol DestinationAdapter: Sendable {
    /// The kind this adapter serves (`destinations.kind`).
    var kind: DestinationKind { get }
    /// A name for people and messages: `GoHighLevel`, `Momence`, `HTTP`.
    var displayName: String { get }
    /// The settings a destination of this kind reads from its `config`.
    var configFields: [DestinationConfigField] { get }
    /// A config that delivers (placeholders where the account's own ids go): shown in forms as an example.
    var exampleConfig: [String: JSONValue] { get }

    /// The delivery policy of a new destination named `name` with `config`: its account key,
    /// rate limit, retry schedule and attempt budget.
    func defaultPolicy(name: String, config: [String: JSONValue]) -> DestinationPolicy

    /// Checks `config` before it is saved: every key is a field of ``configFields`` (in either
    /// spelling) of the right shape, required fields are present, and the values make sense.
    ///
    /// - Throws: ``DeliveryBuildError`` (class `configuration`) whose reason names the field.
    func validate(config: [String: JSONValue]) throws(DeliveryBuildError)

    /// The request that delivers `lead` to `destination`, authenticated with `secret` (the
    /// decrypted credential; nil when the destination has none). Pure: no I/O.
    ///
    /// - Throws: ``DeliveryBuildError``, a permanent failure decided without calling: the lead
    ///   lacks what the destination requires (`invalidLead`), or the destination's config or
    ///   credential is missing or malformed (`configuration`). The reason never holds the secret.
    func request(for lead: DeliveryLead, to destination: Destination, secret: String?) throws(DeliveryBuildError) -> DeliveryRequest

    /// How to ask the provider whether an earlier attempt, one that started at `since` and ended
    /// without a definite answer (a timeout, a dropped connection, a worker that died mid-send),
    /// already sent the message of `request` (the one about to be sent again), authenticated with
    /// `secret`. Pure: no I/O. Nil when the provider cannot be asked (the default): the message is
    /// sent again and the attempt flagged `possible_duplicate`.
    func duplicateCheck(since: Date, sending request: DeliveryRequest, to destination: Destination, secret: String?) -> DuplicateCheck?

    /// The outcome of an answer from `destination`: success, retryable or permanent, with the
    /// reason and excerpt masked by `scrubber`. The default applies the common HTTP rules
    /// (``DeliveryClassifier``) around ``successOutcome(_:destination:scrubber:)``.
    func classify(
        _ response: DeliveryResponse,
        destination: Destination,
        scrubber: SecretScrubber,
        excerptLimit: Int,
        now: Date
    ) -> DeliveryOutcome

    /// The destination's own reading of an HTTP answer: a success (with its id for the lead), or a
    /// permanent failure of a status that would otherwise succeed; nil leaves the answer to the
    /// common failure rules (429/5xx retry, other 4xx permanent…).
    func successOutcome(_ answer: DeliveryAnswer, destination: Destination, scrubber: SecretScrubber) -> DeliveryOutcome?

    /// When the destination asks to be called again, from an answer's headers; nil when it did
    /// not say. The default reads `Retry-After`, `X-RateLimit-Reset` and GoHighLevel's
    /// `X-RateLimit-*` headers (``DeliveryClassifier/retryAfter(_:status:now:)``).
    func retryAfter(_ headers: HTTPHeaders, status: Int, now: Date) -> Duration?

    /// How reconciliation asks this CRM for a contact, authenticated with `token`; nil when the
    /// destination cannot be looked up (the default).
    ///
    /// - Throws: ``ReconcileError`` when the destination lacks what a lookup needs (a location id…).
    func contactLookup(for destination: Destination, token: String) throws(ReconcileError) -> (any DestinationContactLookup)?

    /// Whether ``contactLookup(for:token:)`` is supported (reconcile refuses other kinds up front).
    var supportsContactLookup: Bool { get }
}

extension DestinationAdapter {
    /// The common HTTP rules: a Cloudflare challenge retries, then ``successOutcome(_:destination:scrubber:)``,
    /// then 429/401/403/408/425/5xx retry and other statuses fail permanently.
    public func classify(
        _ response: DeliveryResponse,
        destination: Destination,
        scrubber: SecretScrubber,
        excerptLimit: Int,
        now: Date
    ) -> DeliveryOutcome {
        DeliveryClassifier.classify(response, by: self, destination: destination, scrubber: scrubber, excerptLimit: excerptLimit, now: now)
    }

    /// The common HTTP rules, then, for an answer they do not call a success, `refine` with the
    /// provider's own error codes (messaging providers put the meaning in the body, not the status).
    public func classify(
        _ response: DeliveryResponse,
        destination: Destination,
        scrubber: SecretScrubber,
        excerptLimit: Int,
        now: Date,
        refiningFailuresWith refine: (DeliveryResponse, DeliveryOutcome) -> DeliveryOutcome
    ) -> DeliveryOutcome {
        let common = DeliveryClassifier.classify(
            response,
            by: self,
            destination: destination,
            scrubber: scrubber,
            excerptLimit: excerptLimit,
            now: now
        )
        return common.isSuccess ? common : refine(response, common)
    }

    /// The common hints (``DeliveryClassifier/retryAfter(_:status:now:)``).
    public func retryAfter(_ headers: HTTPHeaders, status: Int, now: Date) -> Duration? {
        DeliveryClassifier.retryAfter(headers, status: status, now: now)
    }

    /// No lookup.
    public func contactLookup(for destination: Destination, token: String) throws(ReconcileError) -> (any DestinationContactLookup)? {
        nil
    }

    /// No lookup.
    public var supportsContactLookup: Bool { false }

    /// The fields' checks only (``validateFields(_:)``).
    public func validate(config: [String: JSONValue]) throws(DeliveryBuildError) {
        try validateFields(config)
    }
}
