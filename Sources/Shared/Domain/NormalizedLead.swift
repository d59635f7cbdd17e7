/// A lead ready to be stored: cleaned fields, its flags and its dedup hash.
public struct NormalizedLead: Sendable, Hashable {
    public var firstName: String?
    public var lastName: String?
    /// Lower-cased domain, trimmed; nil when none was given or it was not an address.
    public var email: String?
    /// E.164 (`+12015550291`) when the phone could be normalized.
    public var phone: String?
    /// The phone exactly as typed (trimmed), kept even when it could not be normalized.
    public var phoneRaw: String?
    public var postalCode: String?
    public var notes: String?
    /// The sender's own id for the lead (Meta lead id, Shopmonkey id…): the stronger dedup key.
    public var externalId: String?
    public var extra: [String: JSONValue]
    public var raw: JSONValue?
    /// Conditions worth showing to an operator, e.g. `phone_invalid`, `email_invalid`.
    public var flags: [String]
    /// Non-fatal issues reported back to the sender.
    public var warnings: [FieldIssue]
    /// SHA-256 identifying the lead within its source; see ``LeadDedupHash``.
    public var dedupHash: [UInt8]
}
