import Foundation

/// A configuration record that is switched on and off rather than deleted: a destination, a
/// source, a tenant. A disabled record keeps its history; nothing new reaches it.
public protocol SwitchableRecord: Sendable {
    /// Whether the record takes part (new leads reach it, its URLs accept leads).
    var enabled: Bool { get set }
}

/// A configuration record that belongs to one tenant and is named within it: a destination or a
/// source.
public protocol TenantOwnedRecord: SwitchableRecord {
    /// The record's id.
    var id: UUID { get }
    /// The tenant it belongs to.
    var tenantId: UUID { get }
    /// Its name, unique within the tenant.
    var name: String { get }
}

extension Destination: TenantOwnedRecord {}
extension Source: TenantOwnedRecord {}
extension Tenant: SwitchableRecord {}
