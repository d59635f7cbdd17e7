import Foundation
import Logging
import PostgresNIO

// Deleting configuration. A source or destination that already has history (leads, imports,
// webhook events, deliveries) is never deleted: the foreign keys cascade, so deleting it would
// silently erase that history. Such rows are disabled instead.

extension SourceStore {
    /// Deletes a source (within `tenantId` when given) that never received anything; a
    /// ``StoreError/conflict(_:)`` when it has leads, imports or webhook events.
    public func delete(id: UUID, tenantId: UUID?) async throws {
        let rows = try await client.query(
            """
            WITH target AS (
                SELECT s.id FROM sources s WHERE s.id = \(id) AND (\(tenantId)::uuid IS NULL OR s.tenant_id = \(tenantId)) FOR UPDATE),
            used AS (
                SELECT EXISTS (SELECT 1 FROM leads WHERE source_id = \(id)) OR EXISTS (SELECT 1 FROM imports WHERE source_id = \(id))
                    OR EXISTS (SELECT 1 FROM inbound_events WHERE source_id = \(id)) AS used),
            deleted AS (
                DELETE FROM sources WHERE id IN (SELECT id FROM target) AND NOT (SELECT used FROM used) RETURNING id)
            SELECT (SELECT count(*) FROM target)::int, (SELECT count(*) FROM deleted)::int
            """,
            logger: logger
        )
        try await Self.check(
            rows,
            kind: "source",
            id: id,
            refusal: "this source has received leads, imports or webhook events; disable it instead (deleting it would erase them)"
        )
    }

    /// Raises not found / conflict from a `(found, deleted)` row.
    static func check(_ rows: PostgresRowSequence, kind: String, id: UUID, refusal: String) async throws {
        for try await (found, deleted) in rows.decode((Int, Int).self) {
            if found == 0 { throw StoreError.notFound(kind: kind, reference: id.uuidString) }
            if deleted == 0 { throw StoreError.conflict(refusal) }
            return
        }
        throw StoreError.notFound(kind: kind, reference: id.uuidString)
    }
}

extension DestinationStore {
    /// Deletes a destination (within `tenantId` when given) that never had a delivery; a
    /// ``StoreError/conflict(_:)`` when it has. Its links to sources go with it.
    public func delete(id: UUID, tenantId: UUID?) async throws {
        let rows = try await client.query(
            """
            WITH target AS (
                SELECT d.id FROM destinations d WHERE d.id = \(id) AND (\(tenantId)::uuid IS NULL OR d.tenant_id = \(tenantId)) FOR UPDATE),
            deleted AS (
                DELETE FROM destinations WHERE id IN (SELECT id FROM target)
                  AND NOT EXISTS (SELECT 1 FROM deliveries WHERE destination_id = \(id)) RETURNING id)
            SELECT (SELECT count(*) FROM target)::int, (SELECT count(*) FROM deleted)::int
            """,
            logger: logger
        )
        try await SourceStore.check(
            rows,
            kind: "destination",
            id: id,
            refusal: "this destination has deliveries; disable it instead (deleting it would erase their history)"
        )
    }
}
