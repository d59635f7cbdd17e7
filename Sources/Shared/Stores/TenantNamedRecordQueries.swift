import Foundation
import Logging
import PostgresNIO

/// How a store of records that belong to one tenant and are named within it (destinations, sources)
/// lists them by name and finds one by id or name: the same queries for both.
protocol TenantNamedRecordQueries: Sendable {
    /// The record a row decodes to.
    associatedtype Record: Sendable

    /// What an operator calls a record (`destination`), in not-found and ambiguity errors.
    static var recordKind: String { get }
    /// The table and the alias ``columns`` refer to it by, e.g. `destinations d`.
    static var tableWithAlias: (table: String, alias: String) { get }
    /// The select list ``decode(_:)`` reads.
    static var columns: String { get }

    /// The database.
    var client: PostgresClient { get }
    /// Where queries log.
    var logger: Logger { get }

    /// The records of `rows` (selected with ``columns``), in order.
    func decode(_ rows: PostgresRowSequence) async throws -> [Record]
}

extension TenantNamedRecordQueries {
    /// The records of one tenant (all when nil), by name.
    func recordsByName(tenantId: UUID?) async throws -> [Record] {
        let (table, alias) = Self.tableWithAlias
        return try await decode(
            client.query(
                """
                SELECT \(unescaped: Self.columns) FROM \(unescaped: table) \(unescaped: alias)
                WHERE (\(tenantId)::uuid IS NULL OR \(unescaped: alias).tenant_id = \(tenantId)) ORDER BY \(unescaped: alias).name
                """,
                logger: logger
            )
        )
    }

    /// The record with this id or name, within `tenantId` when given; a conflict when the name is
    /// taken in several tenants.
    func record(_ reference: String, tenantId: UUID?) async throws -> Record {
        let (table, alias) = Self.tableWithAlias
        let id = UUID(uuidString: reference)
        let records = try await decode(
            client.query(
                """
                SELECT \(unescaped: Self.columns) FROM \(unescaped: table) \(unescaped: alias)
                WHERE (\(unescaped: alias).id = \(id) OR (\(id)::uuid IS NULL AND \(unescaped: alias).name = \(reference)))
                  AND (\(tenantId)::uuid IS NULL OR \(unescaped: alias).tenant_id = \(tenantId))
                ORDER BY \(unescaped: alias).created_at LIMIT 2
                """,
                logger: logger
            )
        )
        guard let record = records.first else { throw StoreError.notFound(kind: Self.recordKind, reference: reference) }
        if records.count > 1 {
            throw StoreError.conflict("several tenants have a \(Self.recordKind) named '\(reference)'; use its id or --tenant")
        }
        return record
    }
}
