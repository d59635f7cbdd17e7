import Foundation

/// What a ``DuplicateCheck`` found out about an earlier attempt that may have sent the message.
public enum DuplicateCheckResult: Sendable, Hashable {
    /// The provider has the message the earlier attempt sent, under `externalId` (Twilio's `SM…`
    /// sid): the delivery succeeds with it and nothing is sent again.
    case alreadySent(externalId: String)
    /// The provider has no such message: sending now is not a duplicate.
    case notSent
    /// The check could not tell (it failed, or the answer was incomplete): the message is sent
    /// again (never lost) and the attempt is flagged as a possible duplicate. `reason` says why.
    case unknown(reason: String)
}
