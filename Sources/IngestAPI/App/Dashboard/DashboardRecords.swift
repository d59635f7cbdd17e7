import Foundation
import Shared

/// One kind of configuration record the dashboard edits under `/dashboard/<area>` — destinations,
/// sources, tenants: its words and how the configuration stores find, save and delete it.
struct DashboardRecords<Record: SwitchableRecord>: Sendable {
    /// What a record is called (`destination`) in headings, notices and audit actions.
    let kind: String
    /// The list's path under `/dashboard` (`destinations`).
    let area: String
    /// The record of an id, within a tenant when one is given; ``StoreError/notFound`` otherwise.
    let find: @Sendable (DashboardController.ConfigurationStores, UUID, UUID?) async throws -> Record
    /// Saves a changed record and returns it as stored.
    let update: @Sendable (DashboardController.ConfigurationStores, Record) async throws -> Record
    /// A record's id, its tenant's id and its name, as the audit log names it.
    let identity: @Sendable (Record) -> (id: UUID, tenantId: UUID, name: String)
    /// Deletes a record, within a tenant when one is given; nil when records of this kind are only disabled.
    var delete: (@Sendable (DashboardController.ConfigurationStores, Record, UUID?) async throws -> Void)?

    /// `record` as the audit log and the notices name it.
    func audited(_ record: Record) -> DashboardController.AuditedRecord {
        let (id, tenantId, name) = identity(record)
        return DashboardController.AuditedRecord(kind: kind, area: area, id: id, tenantId: tenantId, name: name)
    }
}

extension DashboardRecords {
    /// The records of the store `store` picks, named `kind`; their list is under `/dashboard/<kind>s`.
    init<Store: TenantOwnedRecordStore>(
        kind: String,
        store: @escaping @Sendable (DashboardController.ConfigurationStores) -> Store
    ) where Store.Record == Record {
        self.init(
            kind: kind,
            area: kind + "s",
            find: { stores, id, tenantId in try await store(stores).find(id.uuidString, tenantId: tenantId) },
            update: { stores, record in try await store(stores).update(record) },
            identity: { ($0.id, $0.tenantId, $0.name) },
            delete: { stores, record, tenantId in try await store(stores).delete(id: record.id, tenantId: tenantId) }
        )
    }
}

extension DashboardRecords<Destination> {
    /// Destinations, within the user's tenant.
    static var destinations: Self { Self(kind: "destination", store: { $0.destinations }) }
}

extension DashboardRecords<Source> {
    /// Sources, within the user's tenant.
    static var sources: Self { Self(kind: "source", store: { $0.sources }) }
}

extension DashboardRecords<Tenant> {
    /// Tenants (operators only; a tenant is its own tenant).
    static var tenants: Self {
        Self(
            kind: "tenant",
            area: "tenants",
            find: { stores, id, _ in try await stores.tenants.find(id.uuidString) },
            update: { stores, record in try await stores.tenants.update(record) },
            identity: { ($0.id, $0.id, $0.name) }
        )
    }
}
