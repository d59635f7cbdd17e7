import Foundation

/// One request's write, as ``LeadIntake`` takes it: normalized leads of one origin, and for a
/// webhook the event they arrived in. Many writes of concurrent requests share one COMMIT.
public struct IntakeWrite: Sendable {
    /// Where the leads come from.
    public var origin: LeadBatchOrigin
    /// The usable leads, in request order.
    public var leads: [NormalizedLead]
    /// The webhook event the leads arrived in, recorded with them (nil for the lead API and forms).
    public var event: WebhookEventWrite?

    /// A write of `leads` from `origin`, with the webhook `event` they came in.
    public init(origin: LeadBatchOrigin, leads: [NormalizedLead], event: WebhookEventWrite? = nil) {
        self.origin = origin
        self.leads = leads
        self.event = event
    }
}

/// A webhook event to record with its leads; its outcome is settled from what the lead write did.
public struct WebhookEventWrite: Sendable {
    /// The request as received.
    public var event: InboundEventStore.NewEvent
    /// Why items were refused (nil when none were).
    public var reason: String?
    /// The source revision the request was parsed with: when set, nothing is stored unless the
    /// source is still at it, enabled, and its tenant's region is still `tenantRegion`.
    public var sourceRevision: Int64?
    /// The tenant's default region the leads were normalized for.
    public var tenantRegion: String

    /// Describes the event of a webhook write.
    public init(event: InboundEventStore.NewEvent, reason: String?, sourceRevision: Int64?, tenantRegion: String) {
        self.event = event
        self.reason = reason
        self.sourceRevision = sourceRevision
        self.tenantRegion = tenantRegion
    }
}

/// What happened to one ``IntakeWrite``.
public enum IntakeWriteResult: Sendable {
    /// Committed: one outcome per lead, in order, the deliveries created, and the event's id.
    case written(eventId: Int64?, outcomes: [LeadWriteOutcome], deliveryIds: [Int64])
    /// The event's source changed since the request was parsed: nothing was stored.
    case staleSource
    /// The event is a provider's re-delivery of one already taken (same external id): nothing was stored.
    case redelivery
}
