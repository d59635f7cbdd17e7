import Foundation

/// A tenant's follow-up sequence as stored (`sequences`): its name, its checked definition, a
/// version that grows on every change (enrollments keep the snapshot they started with) and
/// whether new leads still enter it.
public struct FollowUpSequence: Sendable, Hashable, Codable {
    public var id: UUID
    public var tenantId: UUID
    public var name: String
    /// The definition as stored (``SequenceDefinition/json``).
    public var definitionJSON: JSONValue
    public var version: Int
    /// False: no new enrollments; those in flight go on.
    public var enabled: Bool
    public var createdAt: Date
    public var updatedAt: Date

    /// The definition, read back from ``definitionJSON``.
    ///
    /// - Throws: ``SequenceDefinitionError`` when the stored document is not a definition.
    public func definition() throws(SequenceDefinitionError) -> SequenceDefinition {
        try SequenceDefinition(stored: definitionJSON)
    }

    enum CodingKeys: String, CodingKey {
        case id, name, version, enabled
        case tenantId = "tenant_id"
        case definitionJSON = "definition"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}
