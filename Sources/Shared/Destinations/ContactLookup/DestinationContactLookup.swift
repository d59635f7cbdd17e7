/// How reconciliation asks a destination whether it still has a contact: by the id the
/// destination gave on delivery, else by email and phone. Built by
/// ``DestinationAdapter/contactLookup(for:token:)`` for one destination and its credential.
public protocol DestinationContactLookup: Sendable {
    /// The destination's name for people, in reasons (`GoHighLevel v1`).
    var displayName: String { get }
    /// The URL that looks a contact up by the destination's id for it.
    func contactURL(id: String) -> String
    /// The URL that searches by email and/or phone (E.164).
    func searchURL(email: String?, phone: String?) -> String
    /// Asks `url` (a ``contactURL(id:)`` when `byId`, else a ``searchURL(email:phone:)``).
    ///
    /// - Throws: ``ReconcileError`` when the destination refuses the credential: no other
    ///   contact can be checked either.
    func get(_ url: String, byId: Bool, http: OutboundHTTPClient) async throws(ReconcileError) -> ContactLookupAnswer
}

/// What one contact lookup found.
public enum ContactLookupAnswer: Sendable, Equatable {
    /// The destination has the contact (with its id, when it said).
    case found(contactId: String?)
    /// The destination does not have it.
    case missing
    /// The call failed or the answer was not understood.
    case unknown(String)
    /// Too many requests: wait this long (when the destination said) and ask again.
    case rateLimited(Duration?)
}
