import Foundation
import PostgresNIO

// Every webhook request runs these two; prepared once per connection.

extension InboundEventStore {
    /// Inserts one event; returns its id, or no row when an event with the same external id was
    /// already taken (a provider's re-delivery).
    struct InsertEventStatement: PostgresPreparedStatement {
        static let sql = """
            INSERT INTO inbound_events (tenant_id, source_id, method, content_type, headers, body, body_size, body_truncated,
                                        outcome, reason, external_event_id, replay_of, next_fetch_at)
            VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, $11, $12, $13)
            ON CONFLICT (source_id, external_event_id)
                WHERE external_event_id IS NOT NULL AND replay_of IS NULL AND outcome IN ('accepted', 'duplicate', 'ignored', 'pending_fetch')
                DO NOTHING
            RETURNING id
            """
        static let bindingDataTypes: [PostgresDataType] = [
            .uuid, .uuid, .text, .text, .text, .bytea, .int8, .bool, .text, .text, .text, .int8, .timestamptz,
        ]
        typealias Row = Int64

        var event: NewEvent
        /// When a `pending_fetch` event's fetch is due.
        var fetchDue: Date?

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 13)
            event.bindRequest(to: &bindings)
            bindings.append(event.bodyTruncated)
            bindings.append(event.outcome)
            bindings.append(event.reason)
            bindings.append(event.externalEventId)
            bindings.append(event.replayOf)
            bindings.append(fetchDue)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// Sets an event's outcome once its leads are written (same transaction).
    struct SettleEventStatement: PostgresPreparedStatement {
        static let sql = """
            UPDATE inbound_events SET outcome = $1, reason = $2, lead_ids = $3, next_fetch_at = NULL, fetch_error = NULL
            WHERE id = $4
            """
        static let bindingDataTypes: [PostgresDataType] = [.text, .text, .int8Array, .int8]
        typealias Row = ()

        var id: Int64
        var outcome: String
        var reason: String?
        var leadIds: [Int64]

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 4)
            bindings.append(outcome)
            bindings.append(reason)
            bindings.append(leadIds)
            bindings.append(id)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { () }
    }
}

extension InboundEventStore.NewEvent {
    /// Appends the request as received: tenant, source, method, content type, headers (JSON
    /// text), body and body size — the first seven parameters of every statement recording an event.
    func bindRequest(to bindings: inout PostgresBindings) {
        bindings.append(tenantId)
        bindings.append(sourceId)
        bindings.append(method)
        bindings.append(contentType)
        bindings.append(JSONText.encode(headers))
        bindings.append(ByteBuffer(bytes: body))
        bindings.append(bodySize)
    }
}
