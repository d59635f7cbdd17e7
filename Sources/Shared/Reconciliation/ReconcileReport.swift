import Foundation

/// What the CRM said about one succeeded delivery.
public struct ReconcileCheck: Sendable, Hashable, Codable {
    /// The CRM's answer.
    public enum Outcome: String, Sendable, Codable {
        /// The CRM has the contact.
        case found
        /// The CRM does not have it: the delivery succeeded but the contact is gone (or never arrived).
        case missing
        /// The CRM could not be asked or gave no usable answer (see ``ReconcileCheck/detail``).
        case unchecked
    }

    public var deliveryId: Int64
    public var leadId: Int64
    public var email: String?
    /// E.164, or as typed when it could not be normalized.
    public var phone: String?
    /// The contact id the CRM gave when the lead was delivered.
    public var crmId: String?
    /// `id` (GET contact by its id), `search` (by email and/or phone), or `none` when the lead has neither.
    public var lookedUpBy: String
    public var outcome: Outcome
    /// The contact id found, or why the lead could not be checked.
    public var detail: String?

    enum CodingKeys: String, CodingKey {
        case deliveryId = "delivery_id"
        case leadId = "lead_id"
        case email, phone, outcome, detail
        case crmId = "crm_id"
        case lookedUpBy = "looked_up_by"
    }
}

/// The result of reconciling one destination: how many succeeded deliveries were checked, which
/// the CRM does not have, which could not be checked, and which were queued again.
public struct ReconcileReport: Sendable, Hashable, Codable {
    public var destinationId: UUID
    public var destinationName: String
    /// The CRM asked (the adapter's display name, `GoHighLevel`).
    public var crmName: String
    public var since: Date
    /// Succeeded deliveries looked up.
    public var checked: Int
    public var found: Int
    /// The deliveries whose contact the CRM does not have, by delivery id.
    public var missing: [ReconcileCheck]
    /// The deliveries the CRM gave no usable answer for.
    public var unchecked: [ReconcileCheck]
    /// The missing deliveries queued again (`--retry-missing`).
    public var requeued: [Int64]

    enum CodingKeys: String, CodingKey {
        case destinationId = "destination_id"
        case destinationName = "destination"
        case crmName = "crm"
        case since, checked, found, missing, unchecked, requeued
    }
}

/// Why a destination cannot be reconciled.
public struct ReconcileError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The reason, in words an operator can act on.
    public var description: String

    /// An error saying `description`.
    public init(_ description: String) {
        self.description = description
    }
}
