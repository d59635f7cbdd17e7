import Foundation

/// Finds a lead's item on the board by a column value, for leads that did not come from monday
/// (a Facebook lead whose board row another integration created): `lookup_column_id` names the
/// board column to search and `lookup_by` the lead field holding the value (``MondayLookupField``).
///
/// The search is a delivery's first call, its answer decides the second (``DeliveryFollowUp``):
///
/// ```
/// query ($board: ID!, $column: String!, $values: [String]!) { items_page_by_column_values(limit: 2,
///   board_id: $board, columns: [{column_id: $column, column_values: $values}]) { items { id } } }
/// ```
///
/// One item: the second call goes to it. None: the lead is not on the board, the delivery is
/// skipped (``DeliveryErrorClass/noAddress``). Two: which item is the lead's is ambiguous, a
/// permanent failure. monday's errors are read as the write's are (``MondayErrorCode``).
enum MondayItemLookup {
    /// The search; the board, column and value come from `variables`. `limit: 2` is enough to
    /// tell one match from several.
    static let query =
        "query ($board: ID!, $column: String!, $values: [String]!) "
        + "{ items_page_by_column_values(limit: 2, board_id: $board, columns: [{column_id: $column, column_values: $values}]) "
        + "{ items { id } } }"

    /// A destination's search settings.
    struct Settings: Sendable, Hashable {
        /// `lookup_column_id`.
        var column: String
        /// `lookup_by`.
        var field: MondayLookupField
    }

    /// The search settings of `config`; nil when it has none.
    ///
    /// - Throws: `configuration` naming the member: one of `lookup_column_id` and `lookup_by`
    ///   without the other, a column title instead of an id, an unknown lead field, or
    ///   `item_id_field` set too.
    static func settings(_ config: DestinationConfig) throws(DeliveryBuildError) -> Settings? {
        let column = try config.string("lookup_column_id", "lookupColumnId")
        let by = try config.string("lookup_by", "lookupBy")
        guard let column else {
            guard by == nil else { throw .configuration("Monday status lookup_by needs lookup_column_id, the board column to search") }
            return nil
        }
        guard MondayGraphQL.isColumnID(column) else {
            throw .configuration("Monday status lookup_column_id must be the column's id (like phone or email_1), not its title")
        }
        guard let by else { throw .configuration("Monday status lookup_column_id needs lookup_by: phone, email or extra.<name>") }
        guard let field = MondayLookupField(by) else {
            throw .configuration("Monday status lookup_by must be phone, email or extra.<name>, not \(by.prefix(40))")
        }
        if try config.string("item_id_field", "itemIdField") != nil {
            throw .configuration("Monday status item_id_field and lookup_column_id cannot both be set: the item is found one way")
        }
        return Settings(column: column, field: field)
    }

    /// The search for `lead` under `settings` on `board`.
    ///
    /// - Throws: `noAddress` when the lead has no value to search for.
    static func search(for lead: DeliveryLead, settings: Settings, board: String) throws(DeliveryBuildError) -> MondayItemSearch {
        guard let value = settings.field.value(of: lead) else {
            throw .noAddress("no Monday item id: the lead has no \(settings.field.name) to look up in column \(settings.column)")
        }
        return MondayItemSearch(board: board, column: settings.column, field: settings.field.name, value: value)
    }

    /// The search request for `search` on `destination`, whose follow-up hands the one item's id
    /// to `next` (which says what the second call is).
    static func request(
        _ search: MondayItemSearch,
        destination: Destination,
        secret: String?,
        next: @escaping @Sendable (String) -> DeliveryFollowUp.Step
    ) throws(DeliveryBuildError) -> DeliveryRequest {
        var request = try MondayGraphQL.request(query: query, variables: search.variables, destination: destination, secret: secret)
        request.followUp = DeliveryFollowUp { answer in step(after: answer, of: search, next: next) }
        return request
    }

    /// What follows the search's `answer`; see the type's documentation.
    static func step(
        after answer: DeliveryResponse,
        of search: MondayItemSearch,
        next: (String) -> DeliveryFollowUp.Step
    ) -> DeliveryFollowUp.Step {
        let json = DeliveryClassifier.parseJSON(answer.body)
        guard (200...299).contains(answer.status), !MondayGraphQL.reportsError(json) else { return .classifyFirstByAdapter }
        let page = json?.objectMembers?["data"]?.objectMembers?["items_page_by_column_values"]?.objectMembers
        guard case .array(let items)? = page?["items"] else {
            return .unexpected(reason: "monday answered the item search (HTTP \(answer.status)) without data.items_page_by_column_values.items")
        }
        let ids = items.compactMap { $0.objectMembers?["id"]?.scalarText }.filter(MondayItemID.isItemID)
        guard ids.count == items.count else { return .unexpected(reason: "monday's item search answered an item without a numeric id") }
        let found = "board \(search.board) have \(search.field) \(search.value) in column \(search.column)"
        switch ids.count {
        case 0:
            return .skip(reason: "no Monday item id: no item on board \(search.board) has \(search.field) \(search.value) in column \(search.column)")
        case 1:
            return next(ids[0])
        default:
            return .fail(
                reason: "\(ids.count) items on \(found) (\(ids.joined(separator: ", "))): the lead's item is ambiguous; "
                    + "keep that column's values unique on the board",
                errorClass: .invalidLead
            )
        }
    }
}
