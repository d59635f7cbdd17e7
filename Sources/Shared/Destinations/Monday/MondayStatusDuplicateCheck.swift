import Foundation

/// Before setting a status again after an attempt that may have set it (it timed out, its
/// connection dropped, its worker died), read the item's status (``MondayStatusQuery``): when it
/// already has the label byte for byte, the delivery succeeds with the item id and nothing is
/// written again; any other label (or none) is "not sent" and the write goes ahead. Writing a
/// label twice is harmless, but this keeps such attempts from being flagged as possible duplicates.
///
/// When the delivery finds its item by a column value (``MondayItemLookup``), the check searches
/// the board the same way first and reads the item found; a search finding no single item is
/// "unknown" (the delivery then searches again and decides).
enum MondayStatusDuplicateCheck {
    /// The check for `request` (the mutation, or the board search, about to be sent again); nil
    /// when its item and label cannot be read from it or the read cannot be built.
    static func build(sending request: DeliveryRequest, destination: Destination, secret: String?) -> DuplicateCheck? {
        guard let variables = DeliveryClassifier.parseJSON(request.body)?.objectMembers?["variables"]?.objectMembers else { return nil }
        let config = DestinationConfig(destination, kindName: MondayStatusAdapter.name)
        let read: DeliveryRequest
        let label: String
        let knownItem: String?
        if let item = variables["item"]?.scalarText, let value = variables["value"]?.scalarText {
            guard let query = try? MondayStatusQuery.request(itemId: item, destination: destination, secret: secret) else { return nil }
            (read, label, knownItem) = (query, value, item)
        } else {
            guard request.followUp != nil, let value = (try? config.string("label")) ?? nil,
                let settings = (try? MondayItemLookup.settings(config)) ?? nil,
                let search = MondayItemSearch(variables: variables, field: settings.field.name),
                let lookup = try? MondayItemLookup.request(search, destination: destination, secret: secret, next: statusRead(destination, secret))
            else { return nil }
            (read, label, knownItem) = (lookup, value, nil)
        }
        let wanted = Array(label.utf8)
        return DuplicateCheck(request: read) { response in
            switch MondayStatusQuery.label(in: response, destination: destination, scrubber: read.scrubber) {
            case .label(let current?) where Array(current.utf8) == wanted:
                guard let item = MondayStatusQuery.itemId(in: response) ?? knownItem else { return .unknown(reason: "monday's read named no item") }
                return .alreadySent(externalId: item)
            case .label: return .notSent
            case .failed(let outcome): return .unknown(reason: outcome.reason ?? "monday's status could not be read")
            }
        }
    }

    /// The follow-up step reading the status of the item a search found.
    private static func statusRead(_ destination: Destination, _ secret: String?) -> @Sendable (String) -> DeliveryFollowUp.Step {
        { item in
            do throws(DeliveryBuildError) {
                return .call(try MondayStatusQuery.request(itemId: item, destination: destination, secret: secret), externalId: item)
            } catch {
                return .fail(reason: error.reason, errorClass: error.errorClass)
            }
        }
    }
}
