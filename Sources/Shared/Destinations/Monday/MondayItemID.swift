import Foundation

/// Which monday.com item a lead is: monday's item ids are digits (up to 20).
///
/// - A lead that arrived by the monday webhook carries `monday:<item id>` as its external id (the
///   webhook's item fetch sets it); that is used by default, and wins over a search.
/// - With `item_id_field`, the id is read from the lead's `extra.<item_id_field>` instead (a board
///   column or form field holding it; `monday:<id>` is accepted there too).
/// - With `lookup_column_id` and `lookup_by`, a lead without `monday:<id>` is searched for on the
///   board by a column value (``MondayItemLookup``).
///
/// A lead with no id is skipped (``DeliveryBuildError/noAddress(_:)``): it is not on monday, which
/// is no failure of the destination; an id that is not digits fails the lead.
enum MondayItemID {
    /// What the monday webhook puts before the item id in a lead's external id.
    static let externalIdPrefix = "monday:"

    /// How a lead's item is known.
    enum Source: Sendable, Hashable {
        /// Its id, known before any call.
        case item(String)
        /// Found by searching the board (a first call).
        case search(MondayItemSearch)
    }

    /// How `lead`'s item is known under `config`.
    static func resolve(_ lead: DeliveryLead, config: DestinationConfig) throws(DeliveryBuildError) -> Source {
        let lookup = try MondayItemLookup.settings(config)
        if let field = try config.string("item_id_field", "itemIdField") {
            guard let raw = lead.extra[field]?.scalarText?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else {
                throw .noAddress("no Monday item id: the lead has no \(field)")
            }
            let id = raw.hasPrefix(externalIdPrefix) ? String(raw.dropFirst(externalIdPrefix.count)) : raw
            guard isItemID(id) else { throw .invalidLead("the lead's \(field) (\(raw.prefix(40))) is not a Monday item id") }
            return .item(id)
        }
        if let external = lead.externalId, external.hasPrefix(externalIdPrefix),
            case let id = String(external.dropFirst(externalIdPrefix.count)), isItemID(id)
        {
            return .item(id)
        }
        guard let lookup else {
            throw .noAddress("no Monday item id: the lead did not come from Monday and item_id_field is not set")
        }
        let board = try config.requiredString("board_id", "boardId")
        return .search(try MondayItemLookup.search(for: lead, settings: lookup, board: board))
    }

    /// The request acting on `lead`'s item: `make(id)` when the id is known, else the board
    /// search whose follow-up makes `make(id)` with the one item found.
    static func request(
        for lead: DeliveryLead,
        destination: Destination,
        secret: String?,
        make: @escaping @Sendable (String) throws(DeliveryBuildError) -> DeliveryRequest
    ) throws(DeliveryBuildError) -> DeliveryRequest {
        switch try resolve(lead, config: DestinationConfig(destination, kindName: MondayStatusAdapter.name)) {
        case .item(let id):
            return try make(id)
        case .search(let search):
            return try MondayItemLookup.request(search, destination: destination, secret: secret) { id in
                do throws(DeliveryBuildError) {
                    return .call(try make(id), externalId: id)
                } catch {
                    return .fail(reason: error.reason, errorClass: error.errorClass)
                }
            }
        }
    }

    /// Whether `text` is a monday id: 1 to 20 ASCII digits.
    static func isItemID(_ text: String) -> Bool {
        (1...20).contains(text.utf8.count) && text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }
}
