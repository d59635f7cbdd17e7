import Foundation

/// A person who signs in to the dashboard: an operator (every tenant) or a tenant member (one
/// tenant only). The password hash never leaves ``UserStore``.
public struct DashboardUser: Sendable, Hashable, Codable {
    /// What a user may see and change.
    public enum Role: String, Sendable, Codable, CaseIterable {
        /// Runs LeadRelay: every tenant, users and API keys included.
        case `operator`
        /// Works one tenant's leads, deliveries and configuration.
        case member
    }

    public var id: UUID
    public var email: String
    public var role: Role
    /// The member's tenant; nil for operators.
    public var tenantId: UUID?
    public var enabled: Bool
    public var lastLoginAt: Date?
    public var createdAt: Date

    /// The tenant every query of this user must be limited to; nil means all tenants (operator).
    public var tenantScope: UUID? { role == .operator ? nil : tenantId }

    enum CodingKeys: String, CodingKey {
        case id, email, role, enabled
        case tenantId = "tenant_id"
        case lastLoginAt = "last_login_at"
        case createdAt = "created_at"
    }
}
