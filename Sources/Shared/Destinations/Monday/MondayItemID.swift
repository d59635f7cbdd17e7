import Foundation

/// Which monday.com item a lead is: monday's item ids are digits (up to 20).
///
/// - A lead that arrived by the monday webhook carries `monday:<item id>` as its external id (the
///   webhook's item fetch sets it); that is used by default.
/// - With `item_id_field`, the id is read from the lead's `extra.<item_id_field>` instead (a board
///   column or form field holding it; `monday:<id>` is accepted there too).
///
/// A lead with no id is skipped (``DeliveryBuildError/noAddress(_:)``): it is not on monday, which
/// is no failure of the destination; an id that is not digits fails the lead.
enum MondayItemID {
    /// What the monday webhook puts before the item id in a lead's external id.
    static let externalIdPrefix = "monday:"

    /// The item id of `lead` under `config`.
    static func of(_ lead: DeliveryLead, config: DestinationConfig) throws(DeliveryBuildError) -> String {
        if let field = try config.string("item_id_field", "itemIdField") {
            guard let raw = lead.extra[field]?.scalarText?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else {
                throw .noAddress("no Monday item id: the lead has no \(field)")
            }
            let id = raw.hasPrefix(externalIdPrefix) ? String(raw.dropFirst(externalIdPrefix.count)) : raw
            guard isItemID(id) else { throw .invalidLead("the lead's \(field) (\(raw.prefix(40))) is not a Monday item id") }
            return id
        }
        guard let external = lead.externalId, external.hasPrefix(externalIdPrefix),
            case let id = String(external.dropFirst(externalIdPrefix.count)), isItemID(id)
        else {
            throw .noAddress("no Monday item id: the lead did not come from Monday and item_id_field is not set")
        }
        return id
    }

    /// Whether `text` is a monday id: 1 to 20 ASCII digits.
    static func isItemID(_ text: String) -> Bool {
        (1...20).contains(text.utf8.count) && text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }
}
