/// A second call a delivery makes with what its first call answered, when the provider needs
/// two (GoHighLevel tags: the upsert's answer names the contact whose tags are then added;
/// monday status with `lookup_column_id`: the search's answer names the item to set).
///
/// The adapter protocol builds one ``DeliveryRequest`` per delivery, without I/O; a request that
/// carries a follow-up is sent by ``DestinationClient`` as usual, and its answer handed to
/// ``next``, which says what happens next. Everything else (rate limit, attempt row, retries,
/// dry runs: no call at all) treats the two calls as one attempt.
public struct DeliveryFollowUp: Sendable {
    /// What a delivery does after its first call.
    public enum Step: Sendable {
        /// Make `request` next; its answer, classified by the adapter, is the delivery's. When that
        /// answer is a success without an id of its own, the delivery records `externalId`.
        case call(DeliveryRequest, externalId: String?)
        /// The first answer is the delivery's answer (a failure): classified by the common HTTP
        /// rules (``DeliveryClassifier/classify(_:by:destination:scrubber:excerptLimit:now:)``),
        /// not by the adapter's own `classify`, whose rules are about the second call's answer.
        case classifyFirst
        /// The first call succeeded but its answer gives nothing to go on: a permanent
        /// `unexpected_response` with `reason`.
        case unexpected(reason: String)
        /// The first answer is a failure the adapter's own `classify` reads: its rules hold for
        /// both calls (monday: the same GraphQL errors, budget and token rules for a search and a
        /// write).
        case classifyFirstByAdapter
        /// The first answer shows the lead cannot be reached there (monday: no item has the
        /// lead's value): the delivery is skipped (``DeliveryErrorClass/noAddress``), no second call.
        case skip(reason: String)
        /// The first answer shows the delivery can never succeed as it stands (monday: several
        /// items have the lead's value): permanent, `errorClass`, with `reason`.
        case fail(reason: String, errorClass: DeliveryErrorClass)
    }

    /// The step after the first call answered; pure, no I/O.
    public let next: @Sendable (DeliveryResponse) -> Step

    /// A follow-up that decides with `next`.
    public init(next: @escaping @Sendable (DeliveryResponse) -> Step) {
        self.next = next
    }
}
