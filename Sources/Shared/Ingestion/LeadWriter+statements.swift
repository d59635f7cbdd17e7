import Foundation
import PostgresNIO

// The write path's statements, prepared once per connection: every request of every channel runs
// them, and parsing and planning them anew each time cost PostgreSQL more than executing them.

extension LeadWriter {
    /// Inserts a batch of leads from parallel arrays (empty strings stand for NULL: normalized
    /// values are never empty), skipping those whose dedup key the source already has; returns the
    /// new rows' ids and dedup keys (hex).
    struct InsertLeadsStatement: PostgresPreparedStatement {
        static let sql = """
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
            RETURNING id, encode(dedup_hash, 'hex')
            """
        static let bindingDataTypes: [PostgresDataType] = [.uuid, .uuid, .text, .uuid, .int8, .text] + Array(repeating: .textArray, count: 12)
        typealias Row = (Int64, String)

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

    /// The ids of a source's existing leads with these dedup keys (hex).
    struct ExistingLeadsStatement: PostgresPreparedStatement {
        static let sql = """
            SELECT id, encode(dedup_hash, 'hex') FROM leads
            WHERE source_id = $1 AND dedup_hash = ANY(ARRAY(SELECT decode(h, 'hex') FROM unnest($2::text[]) AS h))
            """
        static let bindingDataTypes: [PostgresDataType] = [.uuid, .textArray]
        typealias Row = (Int64, String)

        var sourceId: UUID
        var hashes: [String]

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 2)
            bindings.append(sourceId)
            bindings.append(hashes)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// One `queued` delivery per new lead × enabled destination of the source, in lead order.
    struct InsertDeliveriesStatement: PostgresPreparedStatement {
        static let sql = """
            INSERT INTO deliveries (tenant_id, lead_id, destination_id, status)
            SELECT $1, lead.id, sd.destination_id, 'queued'
            FROM unnest($2::bigint[]) AS lead(id)
            CROSS JOIN source_destinations sd
            JOIN destinations d ON d.id = sd.destination_id AND d.enabled
            WHERE sd.source_id = $3
            ORDER BY lead.id
            RETURNING id
            """
        static let bindingDataTypes: [PostgresDataType] = [.uuid, .int8Array, .uuid]
        typealias Row = Int64

        var tenantId: UUID
        var leadIds: [Int64]
        var sourceId: UUID

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 3)
            bindings.append(tenantId)
            bindings.append(leadIds)
            bindings.append(sourceId)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }
}
