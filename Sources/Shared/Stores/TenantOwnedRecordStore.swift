import Foundation

/// The store of a ``TenantOwnedRecord``: ``DestinationStore`` and ``SourceStore`` list, find,
/// save and delete their records alike, so the dashboard and `leadctl` handle both with one piece of code.
public protocol TenantOwnedRecordStore: Sendable {
    /// The record kept.
    associatedtype Record: TenantOwnedRecord & Encodable

    /// The records of one tenant (all when nil), by name.
    func list(tenantId: UUID?) async throws -> [Record]
    /// The record with this id or name, within `tenantId` when given; ``StoreError/notFound`` otherwise.
    func find(_ reference: String, tenantId: UUID?) async throws -> Record
    /// Saves the editable fields of `record`, its secrets as they are, and returns it as stored.
    func update(_ record: Record) async throws -> Record
    /// Deletes the record `id` of `tenantId` (any tenant's when nil); ``StoreError/conflict`` when it
    /// has history that deleting would take with it.
    func delete(id: UUID, tenantId: UUID?) async throws
}

extension DestinationStore: TenantOwnedRecordStore {
    /// Saves `destination`, its credential as it is.
    public func update(_ destination: Destination) async throws -> Destination { try await update(destination, sealedSecret: nil) }
}

extension SourceStore: TenantOwnedRecordStore {
    /// Saves `source`, its secrets as they are.
    public func update(_ source: Source) async throws -> Source { try await update(source, sealedSecrets: nil) }
}
