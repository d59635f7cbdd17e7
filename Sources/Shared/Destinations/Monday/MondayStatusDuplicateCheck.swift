import Foundation

/// Before setting a status again after an attempt that may have set it (it timed out, its
/// connection dropped, its worker died), read the item's status (``MondayStatusQuery``): when it
/// already has the label byte for byte, the delivery succeeds with the item id and nothing is
/// written again; any other label (or none) is "not sent" and the write goes ahead. Writing a
/// label twice is harmless, but this keeps such attempts from being flagged as possible duplicates.
enum MondayStatusDuplicateCheck {
    /// The check for `request` (the mutation about to be sent again); nil when its item and label
    /// cannot be read from it or the read cannot be built.
    static func build(sending request: DeliveryRequest, destination: Destination, secret: String?) -> DuplicateCheck? {
        guard let variables = DeliveryClassifier.parseJSON(request.body)?.objectMembers?["variables"]?.objectMembers,
            let item = variables["item"]?.scalarText, let label = variables["value"]?.scalarText,
            let read = try? MondayStatusQuery.request(itemId: item, destination: destination, secret: secret)
        else { return nil }
        let wanted = Array(label.utf8)
        return DuplicateCheck(request: read) { response in
            switch MondayStatusQuery.label(in: response, destination: destination, scrubber: read.scrubber) {
            case .label(let current?) where Array(current.utf8) == wanted: .alreadySent(externalId: item)
            case .label: .notSent
            case .failed(let outcome): .unknown(reason: outcome.reason ?? "monday's status could not be read")
            }
        }
    }
}
