import Foundation
import Logging
import PostgresNIO
import Shared

/// `sheet_rows`: the rows of a sheet source's ranges already read (see ``SheetRowDiff``).
struct SheetRowStore: Sendable {
    let postgres: PostgresClient
    let sourceId: UUID
    let rangeKey: String
    let logger: Logger

    /// The rows known for the range, without their cells.
    func known() async throws -> [SheetRowKey: SheetRowKnown] {
        let rows = try await postgres.query(
            """
            SELECT row_hash, occurrence, previous_hash, lead_id, rejected FROM sheet_rows
            WHERE source_id = \(sourceId) AND range_key = \(rangeKey)
            """,
            logger: logger
        )
        var known: [SheetRowKey: SheetRowKnown] = [:]
        for try await (hash, occurrence, previous, leadId, rejected) in rows.decode((ByteBuffer, Int, ByteBuffer?, Int64?, Bool).self) {
            let key = SheetRowKey(hash: Array(buffer: hash), occurrence: occurrence)
            known[key] = SheetRowKnown(key: key, previousHash: previous.map { Array(buffer: $0) }, leadId: leadId, rejected: rejected)
        }
        return known
    }

    /// The cells of the known rows `keys`, by key.
    func cells(of keys: [SheetRowKey]) async throws -> [SheetRowKey: [String: String]] {
        guard !keys.isEmpty else { return [:] }
        let rows = try await postgres.query(
            """
            SELECT r.row_hash, r.occurrence, r.cells::text FROM sheet_rows r
            JOIN unnest(\(keys.map { Self.hex($0.hash) })::text[], \(keys.map(\.occurrence))::int[]) AS k(h, o)
              ON r.row_hash = decode(k.h, 'hex') AND r.occurrence = k.o
            WHERE r.source_id = \(sourceId) AND r.range_key = \(rangeKey)
            """,
            logger: logger
        )
        var cells: [SheetRowKey: [String: String]] = [:]
        for try await (hash, occurrence, text) in rows.decode((ByteBuffer, Int, String).self) {
            cells[SheetRowKey(hash: Array(buffer: hash), occurrence: occurrence)] =
                (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
        }
        return cells
    }

    /// Records `rows` as read, each with its lead (nil: not imported) and whether it was rejected.
    func insert(_ rows: [(read: SheetRowRead, leadId: Int64?, rejected: Bool)], on connection: PostgresConnection) async throws {
        guard !rows.isEmpty else { return }
        let hashes = rows.map { Self.hex($0.read.key.hash) }
        let occurrences = rows.map(\.read.key.occurrence)
        let previous = NullableTextArray(rows.map { $0.read.previousHash.map(Self.hex) })
        let numbers = rows.map(\.read.rowNumber)
        let cells = rows.map { Self.json($0.read.cells) }
        let leads = NullableTextArray(rows.map { $0.leadId.map(String.init) })
        let rejected = rows.map(\.rejected)
        try await connection.execute(
            """
            INSERT INTO sheet_rows (source_id, range_key, row_hash, occurrence, previous_hash, row_number, cells, lead_id, rejected)
            SELECT \(sourceId), \(rangeKey), decode(h, 'hex'), o, decode(p, 'hex'), n, c::jsonb, l::bigint, r
            FROM unnest(\(hashes)::text[], \(occurrences)::int[], \(previous)::text[], \(numbers)::int[], \(cells)::text[],
                        \(leads)::text[], \(rejected)::bool[]) AS t(h, o, p, n, c, l, r)
            ON CONFLICT (source_id, range_key, row_hash, occurrence) DO UPDATE
                SET lead_id = coalesce(EXCLUDED.lead_id, sheet_rows.lead_id), rejected = EXCLUDED.rejected,
                    previous_hash = EXCLUDED.previous_hash, row_number = EXCLUDED.row_number
            """,
            logger: logger
        )
    }

    /// Replaces the known row `before` by the edited row `now`, and records the change on its lead.
    func recordEdit(_ now: SheetRowRead, before: SheetRowKnown, location: String, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            DELETE FROM sheet_rows WHERE source_id = \(sourceId) AND range_key = \(rangeKey)
              AND row_hash = \(ByteBuffer(bytes: before.key.hash)) AND occurrence = \(before.key.occurrence)
            """,
            logger: logger
        )
        try await insert([(now, before.leadId, before.rejected)], on: connection)
        try await connection.execute(
            """
            UPDATE sheet_rows SET changed_at = now() WHERE source_id = \(sourceId) AND range_key = \(rangeKey)
              AND row_hash = \(ByteBuffer(bytes: now.key.hash)) AND occurrence = \(now.key.occurrence)
            """,
            logger: logger
        )
        guard let leadId = before.leadId else { return }
        try await connection.execute(
            """
            INSERT INTO lead_source_changes (lead_id, source_id, location, before, after)
            VALUES (\(leadId), \(sourceId), \(location), \(Self.json(before.cells))::jsonb, \(Self.json(now.cells))::jsonb)
            """,
            logger: logger
        )
    }

    /// Updates the row above and row number of known rows that moved.
    func move(_ moved: [(key: SheetRowKey, previousHash: [UInt8]?, rowNumber: Int)], on connection: PostgresConnection) async throws {
        guard !moved.isEmpty else { return }
        try await connection.execute(
            """
            UPDATE sheet_rows r SET previous_hash = decode(t.p, 'hex'), row_number = t.n
            FROM unnest(\(moved.map { Self.hex($0.key.hash) })::text[], \(moved.map(\.key.occurrence))::int[],
                        \(NullableTextArray(moved.map { $0.previousHash.map(Self.hex) }))::text[], \(moved.map(\.rowNumber))::int[])
                 AS t(h, o, p, n)
            WHERE r.source_id = \(sourceId) AND r.range_key = \(rangeKey) AND r.row_hash = decode(t.h, 'hex') AND r.occurrence = t.o
            """,
            logger: logger
        )
    }

    /// Forgets rows no longer in the sheet.
    func delete(_ keys: [SheetRowKey], on connection: PostgresConnection) async throws {
        guard !keys.isEmpty else { return }
        try await connection.execute(
            """
            DELETE FROM sheet_rows r USING unnest(\(keys.map { Self.hex($0.hash) })::text[], \(keys.map(\.occurrence))::int[]) AS t(h, o)
            WHERE r.source_id = \(sourceId) AND r.range_key = \(rangeKey) AND r.row_hash = decode(t.h, 'hex') AND r.occurrence = t.o
            """,
            logger: logger
        )
    }

    static func hex(_ bytes: [UInt8]) -> String { SheetRowKey.hex(bytes) }

    /// `cells` as a JSON object (the writer of the intake's JSON, not `JSONEncoder`: a 50,000-row
    /// first poll writes 50,000 of these).
    static func json(_ cells: [String: String]) -> String {
        var bytes: [UInt8] = []
        JSONValue.object(cells.mapValues { .string($0) }).writeJSON(into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
