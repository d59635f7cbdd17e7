import Foundation

/// One delivery as operators see it: where it stands and why.
public struct DeliveryRecord: Sendable, Hashable, Codable {
    public var id: Int64
    public var tenantId: UUID
    public var leadId: Int64
    public var destinationId: UUID
    public var destinationName: String
    public var sourceName: String
    public var status: String
    public var attempts: Int
    public var nextAttemptAt: Date?
    public var externalId: String?
    public var lastHTTPStatus: Int?
    public var lastErrorClass: String?
    public var lastError: String?
    public var createdAt: Date
    public var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, status, attempts
        case tenantId = "tenant_id"
        case leadId = "lead_id"
        case destinationId = "destination_id"
        case destinationName = "destination"
        case sourceName = "source"
        case nextAttemptAt = "next_attempt_at"
        case externalId = "external_id"
        case lastHTTPStatus = "last_http_status"
        case lastErrorClass = "last_error_class"
        case lastError = "last_error"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// Which deliveries an operation applies to.
public struct DeliveryFilter: Sendable, Hashable {
    public var tenantId: UUID?
    public var status: String?
    public var destinationId: UUID?
    public var sourceId: UUID?
    /// Only deliveries updated after this.
    public var since: Date?
    public var ids: [Int64]?

    /// A filter; nil fields do not filter.
    public init(
        tenantId: UUID? = nil,
        status: String? = nil,
        destinationId: UUID? = nil,
        sourceId: UUID? = nil,
        since: Date? = nil,
        ids: [Int64]? = nil
    ) {
        self.tenantId = tenantId
        self.status = status
        self.destinationId = destinationId
        self.sourceId = sourceId
        self.since = since
        self.ids = ids
    }
}
