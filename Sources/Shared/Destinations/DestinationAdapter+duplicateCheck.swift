import Foundation

extension DestinationAdapter {
    /// No check: the provider cannot be asked, so a retry after an unanswered attempt sends again
    /// and the attempt is flagged as a possible duplicate (WhatsApp, email, CRMs).
    public func duplicateCheck(
        since: Date,
        sending request: DeliveryRequest,
        to destination: Destination,
        secret: String?
    ) -> DuplicateCheck? {
        nil
    }
}
