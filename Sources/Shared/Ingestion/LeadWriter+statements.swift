import Foundation
import PostgresNIO

// The write path's statements, prepared once per connection: every request of every channel runs
// them, and parsing and planning them anew each time cost PostgreSQL more than executing them.

extension LeadWriter {
    /// Inserts a batch of leads from parallel arrays (empty strings stand for NULL: normalized
    /// values are never empty), skipping those whose dedup key the source already has, and — in the
    /// same statement, so one round trip — one `queued` delivery per new lead × enabled destination
    /// of the source (none for spam). Rows: `(lead id, dedup key hex, nil)` per new lead, then
    /// `(nil, nil, delivery id)` per delivery in lead order.
    struct InsertLeadsStatement: PostgresPreparedStatement {
        static let sql = """
            WITH inserted AS (
                INSERT INTO leads (tenant_id, source_id, channel, import_id, inbound_event_id, dedup_hash, external_id,
                    first_name, last_name, email, phone, phone_raw, postal_code, notes, extra, raw, flags, status)
                SELECT $1, $2, $3, $4, $5,
                    decode(h, 'hex'), NULLIF(x, ''), NULLIF(fn, ''), NULLIF(ln, ''), NULLIF(em, ''), NULLIF(ph, ''), NULLIF(pr, ''),
                    NULLIF(pc, ''), NULLIF(nt, ''), ex::jsonb, NULLIF(rw, '')::jsonb, coalesce(string_to_array(NULLIF(fl, ''), ','), '{}'), $6
                FROM unnest($7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[],
                            $15::text[], $16::text[], $17::text[], $18::text[])
                     WITH ORDINALITY AS input(h, x, fn, ln, em, ph, pr, pc, nt, ex, rw, fl, ord)
                ORDER BY h  -- dedup-key order: concurrent batches sharing keys lock them in the same order, never deadlock
                ON CONFLICT DO NOTHING
                RETURNING id, dedup_hash
            ), queued AS (
                -- Born `queued`: the caller enqueues them right after COMMIT and marks the ones Redis did
                -- not take `pending` (one write per delivery instead of two). A crash between COMMIT and
                -- the enqueue leaves `queued` rows without a stream entry; the sweeper re-enqueues those.
                INSERT INTO deliveries (tenant_id, lead_id, destination_id, status)
                SELECT $1, inserted.id, sd.destination_id, 'queued'
                FROM inserted
                CROSS JOIN source_destinations sd
                JOIN destinations d ON d.id = sd.destination_id AND d.enabled
                WHERE sd.source_id = $2 AND $6 <> 'spam'
                ORDER BY inserted.id
                RETURNING id
            )
            SELECT id, encode(dedup_hash, 'hex'), NULL::bigint FROM inserted
            UNION ALL
            SELECT NULL::bigint, NULL::text, id FROM queued
            """
        static let bindingDataTypes: [PostgresDataType] = [.uuid, .uuid, .text, .uuid, .int8, .text] + Array(repeating: .textArray, count: 12)
        typealias Row = (Int64?, String?, Int64?)

        var origin: LeadBatchOrigin
        var status: String
        /// Hex dedup keys, external ids, first names, last names, emails, phones, raw phones,
        /// postal codes, notes, extra (JSON), raw (JSON), flags (comma-separated): one array each.
        var columns: [[String]]

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 18)
            bindings.append(origin.tenantId)
            bindings.append(origin.sourceId)
            bindings.append(origin.channel.rawValue)
            bindings.append(origin.importId)
            bindings.append(origin.inboundEventId)
            bindings.append(status)
            for column in columns { bindings.append(column) }
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }
}
