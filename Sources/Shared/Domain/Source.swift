import Foundation

/// Where leads come from: an API channel, a hosted form, a CSV import target or a webhook.
public struct Source: Sendable, Hashable, Codable {
    public var id: UUID
    public var tenantId: UUID
    public var name: String
    public var kind: SourceKind
    public var preset: WebhookPreset?
    /// The unguessable public part of `/f/{token}` and `/hooks/{token}` URLs.
    public var token: String
    /// Non-secret settings (form fields, thank-you URL, Graph API base URL…).
    public var config: [String: JSONValue]
    /// Per-source key → field mapping (`"Which location?": "extra.location"`).
    public var fieldMap: [String: String]
    /// Whether sealed secrets (signing secret, verify token, API tokens) are configured.
    public var hasSecrets: Bool
    public var notificationEmail: String?
    public var enabled: Bool
    /// Ids of the destinations this source's leads fan out to.
    public var destinationIds: [UUID]
    public var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, kind, preset, token, config, enabled
        case tenantId = "tenant_id"
        case fieldMap = "field_map"
        case hasSecrets = "has_secrets"
        case notificationEmail = "notification_email"
        case destinationIds = "destination_ids"
        case createdAt = "created_at"
    }
}
