import Foundation

/// How a destination asks its provider whether an earlier attempt, which ended without a definite
/// answer, already sent a message (``DestinationAdapter/duplicateCheck(since:sending:to:secret:)``):
/// the request to make (a read: it never sends anything) and how to read its answer.
public struct DuplicateCheck: Sendable {
    /// The provider call that lists what was sent (Twilio: `GET …/Messages.json?To=…&DateSent>=…`).
    public var request: DeliveryRequest
    /// Reads the provider's answer to ``request``.
    public var interpret: @Sendable (DeliveryResponse) -> DuplicateCheckResult

    /// A check made with `request` whose answer `interpret` reads.
    public init(request: DeliveryRequest, interpret: @escaping @Sendable (DeliveryResponse) -> DuplicateCheckResult) {
        self.request = request
        self.interpret = interpret
    }
}
