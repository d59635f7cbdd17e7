import Foundation
import PostgresNIO

// The webhook hot path in one round trip: every webhook with leads runs it, prepared once per connection.

extension InboundLeadWriter {
    /// `CALL record_webhook_event(…)` (migrations/0005): records the event with its leads and
    /// their deliveries, settles its outcome and commits inside the procedure, so the row comes
    /// back only after the COMMIT. One row: event id (nil for a re-delivery of an event already
    /// taken, or when the source changed: outcome `stale`), outcome, one lead id per item in
    /// order, the new leads' ids, the deliveries' ids.
    struct RecordWebhookEventStatement: PostgresPreparedStatement {
        static let sql = """
            CALL record_webhook_event($1, $2, $3, $4, $5::jsonb, $6, $7::integer, $8, $9, $10, $11, $12,
                                      $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, NULL, NULL, NULL, NULL, NULL)
            """
        static let bindingDataTypes: [PostgresDataType] = [
            .uuid, .uuid, .text, .text, .text, .bytea, .int8, .text, .int8, .text, .int8, .text,
        ] + Array(repeating: .textArray, count: 12)
        typealias Row = (Int64?, String?, [Int64]?, [Int64]?, [Int64]?)

        var event: InboundEventStore.NewEvent
        /// Why items were refused (nil when none were).
        var reason: String?
        /// The source's revision the request was parsed with (nil: do not check), and its tenant's region.
        var sourceRevision: Int64?
        var tenantRegion: String
        /// ``LeadWriter/columns(of:)`` of the event's usable leads.
        var columns: [[String]]

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 24)
            event.bindRequest(to: &bindings)
            bindings.append(event.externalEventId)
            bindings.append(event.replayOf)
            bindings.append(reason)
            bindings.append(sourceRevision)
            bindings.append(tenantRegion)
            for column in columns { bindings.append(column) }
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// Whether `error` is the leads' foreign key failing because the event row was not inserted:
    /// a concurrent request took an event with the same external id first (a re-delivery).
    static func isConcurrentRedelivery(_ error: any Error) -> Bool {
        let psql = error as? PSQLError
        return psql?.serverInfo?[.sqlState] == "23503" && psql?.serverInfo?[.constraintName] == "leads_inbound_event_id_fkey"
    }
}
