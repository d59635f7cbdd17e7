import Foundation

/// One webhook request exactly as received, and what became of it.
public struct InboundEvent: Sendable, Hashable, Encodable {
    public var id: Int64
    public var tenantId: UUID?
    public var sourceId: UUID?
    public var receivedAt: Date
    public var method: String
    public var contentType: String?
    /// Relevant headers, secrets stripped.
    public var headers: [String: String]
    public var body: [UInt8]
    public var bodySize: Int
    public var bodyTruncated: Bool
    /// `accepted`, `duplicate`, `rejected`, `bad_signature`, `ignored`, `too_large`, `verification`, `pending_fetch`.
    public var outcome: String
    public var reason: String?
    public var externalEventId: String?
    public var leadIds: [Int64]
    public var replayOf: Int64?
    public var fetchAttempts: Int

    enum CodingKeys: String, CodingKey {
        case id, method, headers, outcome, reason
        case tenantId = "tenant_id"
        case sourceId = "source_id"
        case receivedAt = "received_at"
        case contentType = "content_type"
        case body = "body_text"
        case bodySize = "body_size"
        case bodyTruncated = "body_truncated"
        case externalEventId = "external_event_id"
        case leadIds = "lead_ids"
        case replayOf = "replay_of"
        case fetchAttempts = "fetch_attempts"
    }

    /// Encodes the body as text (it is JSON or form data) for `leadctl --json`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(tenantId, forKey: .tenantId)
        try container.encode(sourceId, forKey: .sourceId)
        try container.encode(receivedAt, forKey: .receivedAt)
        try container.encode(method, forKey: .method)
        try container.encode(contentType, forKey: .contentType)
        try container.encode(headers, forKey: .headers)
        try container.encode(String(decoding: body, as: UTF8.self), forKey: .body)
        try container.encode(bodySize, forKey: .bodySize)
        try container.encode(bodyTruncated, forKey: .bodyTruncated)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(reason, forKey: .reason)
        try container.encode(externalEventId, forKey: .externalEventId)
        try container.encode(leadIds, forKey: .leadIds)
        try container.encode(replayOf, forKey: .replayOf)
        try container.encode(fetchAttempts, forKey: .fetchAttempts)
    }
}
