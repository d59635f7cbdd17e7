import Foundation

/// Sets the lead's item's status column to the configured label (reference §5.3):
/// `change_simple_column_value(board_id, item_id, column_id, value)` with the label text as the
/// simple value, so a Hebrew label (`נשלחה הודעה`) goes as UTF-8 JSON, byte for byte. The label
/// must exist on the board: `create_labels_if_missing` is not sent (it needs board-structure
/// permission), and an unknown label fails permanently (``MondayErrorCode``).
enum MondayStatusRequest {
    /// The mutation; every value comes from `variables`.
    static let mutation =
        "mutation ($board: ID!, $item: ID!, $column: String!, $value: String!) "
        + "{ change_simple_column_value(board_id: $board, item_id: $item, column_id: $column, value: $value) { id } }"

    /// The request for `lead`; a lead without an item id is skipped (``MondayItemID``). With
    /// `lookup_column_id`, it is the board search, the mutation its follow-up (``MondayItemLookup``).
    static func build(lead: DeliveryLead, destination: Destination, secret: String?) throws(DeliveryBuildError) -> DeliveryRequest {
        let config = DestinationConfig(destination, kindName: MondayStatusAdapter.name)
        let board = try config.requiredString("board_id", "boardId")
        let column = try config.requiredString("column_id", "columnId")
        let label = try config.requiredString("label")
        return try MondayItemID.request(for: lead, destination: destination, secret: secret) { item throws(DeliveryBuildError) in
            try MondayGraphQL.request(
                query: mutation,
                variables: ["board": .string(board), "item": .string(item), "column": .string(column), "value": .string(label)],
                destination: destination,
                secret: secret
            )
        }
    }

    /// The checks beyond field shapes (``MondayStatusAdapter/validate(config:)``).
    static func validate(_ config: DestinationConfig) throws(DeliveryBuildError) {
        let board = try config.requiredString("board_id", "boardId")
        guard MondayItemID.isItemID(board) else {
            throw .configuration("Monday status board_id must be the board's numeric id (in its URL: /boards/1234567890), not \(board)")
        }
        let column = try config.requiredString("column_id", "columnId")
        guard MondayGraphQL.isColumnID(column) else {
            throw .configuration("Monday status column_id must be the column's id (like status or color_mkq1abc), not its title")
        }
        let label = try config.requiredString("label")
        guard !label.contains(where: \.isNewline) else { throw .configuration("Monday status label must be one line") }
        if let field = try config.string("item_id_field", "itemIdField"), field.contains(where: \.isWhitespace) {
            throw .configuration("Monday status item_id_field must name one field of the lead's extra, like monday_item_id")
        }
        _ = try MondayItemLookup.settings(config)
        if let version = try config.string("api_version", "apiVersion") {
            guard version.range(of: #"^[0-9]{4}-[0-9]{2}$"#, options: .regularExpression) != nil else {
                throw .configuration("Monday status api_version must look like \(MondayGraphQL.defaultVersion)")
            }
        }
        if let base = try config.string("api_base_url", "apiBaseUrl") {
            guard let url = URLComponents(string: base), url.scheme == "https" || url.scheme == "http", url.host?.isEmpty == false else {
                throw .configuration("Monday status api_base_url must be an absolute http(s) URL, like \(MondayGraphQL.defaultBaseURL)")
            }
        }
    }
}
