import Foundation
import PostgresNIO

// Prepared once per connection: every CSV batch, test lead and fetched webhook runs it.

extension LeadWriter {
    /// `insert_leads(…)` (migrations/0007) on the caller's transaction: one row per item, in
    /// order — item number, lead id, `accepted`/`duplicate`, the accepted item's delivery ids.
    struct InsertLeadsStatement: PostgresPreparedStatement {
        static let sql = """
            SELECT item, lead_id, outcome, delivery_ids
            FROM insert_leads($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
            """
        static let bindingDataTypes = LeadItemColumns.bindingDataTypes()
        typealias Row = (Int32, Int64?, String?, [Int64])

        var items: LeadItemColumns

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 18)
            items.bind(to: &bindings)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }
}
