import Foundation

/// One lead's search for its item (``MondayItemLookup``): items of `board` whose column `column`
/// holds `value`, the lead's `field`.
struct MondayItemSearch: Sendable, Hashable {
    /// The board's id.
    var board: String
    /// The searched column's id (`phone`, `email_1`).
    var column: String
    /// The lead field the value came from (`phone`, `email`, `extra.<name>`), for reasons.
    var field: String
    /// The searched value, byte for byte as the lead has it.
    var value: String

    /// The GraphQL variables of ``MondayItemLookup/query``.
    var variables: [String: JSONValue] {
        ["board": .string(board), "column": .string(column), "values": .array([.string(value)])]
    }

    /// The search a lookup request's `variables` describe, `field` naming the lead field; nil
    /// when they are not a lookup's.
    init?(variables: [String: JSONValue], field: String) {
        guard let board = variables["board"]?.scalarText, let column = variables["column"]?.scalarText,
            case .array(let values)? = variables["values"], values.count == 1, let value = values.first?.scalarText
        else { return nil }
        self.init(board: board, column: column, field: field, value: value)
    }

    /// A search of `board`'s column `column` for `value`, the lead's `field`.
    init(board: String, column: String, field: String, value: String) {
        self.board = board
        self.column = column
        self.field = field
        self.value = value
    }
}
