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
        try await deleteUnused(
            id: id,
            tenantId: tenantId,
            history: [("leads", "source_id"), ("imports", "source_id"), ("inbound_events", "source_id")],
            refusal: "this source has received leads, imports or webhook events; disable it instead (deleting it would erase them)"
        )
    }
}

extension DestinationStore {
    /// Deletes a destination (within `tenantId` when given) that never had a delivery; a
    /// ``StoreError/conflict(_:)`` when it has. Its links to sources go with it.
    public func delete(id: UUID, tenantId: UUID?) async throws {
        try await deleteUnused(
            id: id,
            tenantId: tenantId,
            history: [("deliveries", "destination_id")],
            refusal: "this destination has deliveries; disable it instead (deleting it would erase their history)"
        )
    }
}

extension TenantNamedRecordQueries {
    /// Deletes record `id` (within `tenantId` when given) unless a row of `history` (table, column
    /// referring to the record) refers to it: then ``StoreError/conflict(_:)`` with `refusal`. The
    /// record is locked while this is checked, so history cannot arrive in between.
    func deleteUnused(id: UUID, tenantId: UUID?, history: [(table: String, column: String)], refusal: String) async throws {
        let (table, alias) = Self.tableWithAlias
        let used = history.map { "EXISTS (SELECT 1 FROM \($0.table) WHERE \($0.column) IN (SELECT id FROM target))" }.joined(separator: " OR ")
        let rows = try await client.query(
            """
            WITH target AS (
                SELECT \(unescaped: alias).id FROM \(unescaped: table) \(unescaped: alias)
                WHERE \(unescaped: alias).id = \(id) AND (\(tenantId)::uuid IS NULL OR \(unescaped: alias).tenant_id = \(tenantId)) FOR UPDATE),
            deleted AS (
                DELETE FROM \(unescaped: table) WHERE id IN (SELECT id FROM target) AND NOT (\(unescaped: used)) RETURNING id)
            SELECT (SELECT count(*) FROM target)::int, (SELECT count(*) FROM deleted)::int
            """,
            logger: logger
        )
        for try await (found, deleted) in rows.decode((Int, Int).self) {
            if found == 0 { throw StoreError.notFound(kind: Self.recordKind, reference: id.uuidString) }
            if deleted == 0 { throw StoreError.conflict(refusal) }
            return
        }
        throw StoreError.notFound(kind: Self.recordKind, reference: id.uuidString)
    }
}
