import Foundation

/// One lead as the delivery worker loads it from the `leads` table, ready to be turned into a
/// CRM request. Personal data: never log it unmasked.
public struct DeliveryLead: Sendable, Hashable {
    /// `leads.id`.
    public var id: Int64
    /// Normalized first name.
    public var firstName: String?
    /// Normalized last name.
    public var lastName: String?
    /// Normalized (lower-cased domain) email.
    public var email: String?
    /// E.164 phone (`+12015550291`); nil when the phone could not be normalized.
    public var phone: String?
    /// The phone as typed; sent only where a destination maps `phone_raw` explicitly.
    public var phoneRaw: String?
    /// Postal / ZIP code as given.
    public var postalCode: String?
    /// Free-text notes or message.
    public var notes: String?
    /// Answers and fields without a column of their own (`leads.extra`).
    public var extra: [String: JSONValue]
    /// The sender's own id for the lead (`leads.external_id`).
    public var externalId: String?
    /// Name of the source the lead came in through (`sources.name`).
    public var sourceName: String?
    /// When LeadRelay received the lead (`leads.received_at`).
    public var receivedAt: Date
    /// The name of the lead's tenant (`tenants.name`): the business a message speaks for.
    public var tenantName: String?
    /// When the lead's number last wrote to the tenant on WhatsApp (any lead with that phone: Meta's
    /// window belongs to the number): WhatsApp allows free text only within 24 h of it.
    public var lastWhatsAppMessageAt: Date?
    /// The delivery this lead is being sent for (`deliveries.id`), when the worker sends it:
    /// idempotency tokens and provider callback data carry it. Nil for test sends.
    public var deliveryId: Int64?
    /// When the earliest earlier attempt of this delivery that may have reached the provider without
    /// a definite answer started (a timeout, a dropped connection, a worker that died mid-send); nil
    /// when no earlier call can have sent it. A channel that can ask its provider looks for that
    /// attempt's message before sending again (``DestinationAdapter/duplicateCheck(since:sending:to:secret:)``).
    public var maybeSentSince: Date?

    /// Creates a lead; every field but `id` is optional.
    public init(
        id: Int64,
        firstName: String? = nil,
        lastName: String? = nil,
        email: String? = nil,
        phone: String? = nil,
        phoneRaw: String? = nil,
        postalCode: String? = nil,
        notes: String? = nil,
        extra: [String: JSONValue] = [:],
        externalId: String? = nil,
        sourceName: String? = nil,
        receivedAt: Date = Date(),
        tenantName: String? = nil,
        deliveryId: Int64? = nil,
        lastWhatsAppMessageAt: Date? = nil,
        maybeSentSince: Date? = nil
    ) {
        self.id = id
        self.firstName = firstName
        self.lastName = lastName
        self.email = email
        self.phone = phone
        self.phoneRaw = phoneRaw
        self.postalCode = postalCode
        self.notes = notes
        self.extra = extra
        self.externalId = externalId
        self.sourceName = sourceName
        self.receivedAt = receivedAt
        self.tenantName = tenantName
        self.deliveryId = deliveryId
        self.lastWhatsAppMessageAt = lastWhatsAppMessageAt
        self.maybeSentSince = maybeSentSince
    }

    /// First and last name joined by a space; nil when neither is known.
    public var fullName: String? {
        let parts = [firstName, lastName].compactMap { $0?.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }
}
