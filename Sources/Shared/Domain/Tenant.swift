import Foundation

/// A customer of LeadRelay: a company, studio or franchise owner whose leads we route.
public struct Tenant: Sendable, Hashable, Codable {
    public var id: UUID
    /// URL-safe unique handle, e.g. `acme-roofing`.
    public var slug: String
    public var name: String
    /// ISO region for national phone formats (`US`).
    public var defaultRegion: String
    public var timezone: String
    public var notificationEmail: String?
    public var enabled: Bool
    public var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, slug, name, timezone, enabled
        case defaultRegion = "default_region"
        case notificationEmail = "notification_email"
        case createdAt = "created_at"
    }
}
