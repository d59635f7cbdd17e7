import Foundation

/// One lead in a search result: who it is, where it came from, and how its deliveries stand.
public struct LeadSummary: Sendable, Hashable, Codable {
    public var id: Int64
    public var tenantId: UUID
    public var sourceId: UUID
    public var sourceName: String
    public var channel: String
    public var externalId: String?
    public var firstName: String?
    public var lastName: String?
    public var email: String?
    /// E.164 when the phone could be normalized.
    public var phone: String?
    /// The phone as typed.
    public var phoneRaw: String?
    /// `accepted` or `spam`.
    public var status: String
    public var receivedAt: Date
    /// How many of the lead's deliveries are in each status (`succeeded: 1, dead: 1`).
    public var deliveryStatuses: [String: Int]
    /// The lead's lifecycle stage (``LeadStage``).
    public var stage: String = LeadStage.new.rawValue

    enum CodingKeys: String, CodingKey {
        case id, channel, email, phone, status
        case tenantId = "tenant_id"
        case sourceId = "source_id"
        case sourceName = "source"
        case externalId = "external_id"
        case firstName = "first_name"
        case lastName = "last_name"
        case phoneRaw = "phone_raw"
        case receivedAt = "received_at"
        case deliveryStatuses = "delivery_statuses"
        case stage
    }
}

/// A lead with everything an operator needs to answer "where did it go?": its normalized fields,
/// the payload as received, and every delivery with every attempt.
public struct LeadDetail: Sendable, Hashable, Codable {
    public var summary: LeadSummary
    public var postalCode: String?
    public var notes: String?
    /// Answers without a field of their own.
    public var extra: [String: JSONValue]
    /// The payload exactly as received (nil for sources that keep none).
    public var raw: JSONValue?
    /// Conditions such as `phone_invalid`.
    public var flags: [String]
    public var importId: UUID?
    public var inboundEventId: Int64?
    /// One per destination, by destination name.
    public var deliveries: [LeadDeliveryDetail]
    /// `new`, `contacted`, `engaged`, `qualified`, `appointment_set`, `completed` or `lost`.
    public var stage: String = "new"
    /// When the lead last wrote to us (a reply on any channel).
    public var lastReplyAt: Date?
    /// When a provider last accepted a message to the lead.
    public var lastContactedAt: Date?
    /// Every message to and from the lead, oldest first.
    public var conversation: [ConversationMessage] = []
    /// The lead's follow-up sequence enrollments, oldest first.
    public var enrollments: [LeadEnrollment] = []

    enum CodingKeys: String, CodingKey {
        case summary = "lead"
        case postalCode = "postal_code"
        case notes, extra, raw, flags, deliveries, stage, conversation, enrollments
        case lastReplyAt = "last_reply_at"
        case lastContactedAt = "last_contacted_at"
        case importId = "import_id"
        case inboundEventId = "inbound_event_id"
    }
}

/// One delivery of a lead to a destination, with its attempts oldest first.
public struct LeadDeliveryDetail: Sendable, Hashable, Codable {
    public var id: Int64
    public var destinationId: UUID
    public var destinationName: String
    /// `ghl`, `ghl_v1`, `momence`, `npa` or `http`.
    public var destinationKind: String
    public var status: String
    public var attempts: Int
    /// The CRM's id for the lead (e.g. the GoHighLevel contact id).
    public var externalId: String?
    public var lastHTTPStatus: Int?
    public var lastErrorClass: String?
    public var lastError: String?
    public var nextAttemptAt: Date?
    public var createdAt: Date
    public var updatedAt: Date
    public var finishedAt: Date?
    public var attemptLog: [DeliveryAttemptRecord]

    enum CodingKeys: String, CodingKey {
        case id, status, attempts
        case destinationId = "destination_id"
        case destinationName = "destination"
        case destinationKind = "destination_kind"
        case externalId = "external_id"
        case lastHTTPStatus = "last_http_status"
        case lastErrorClass = "last_error_class"
        case lastError = "last_error"
        case nextAttemptAt = "next_attempt_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case finishedAt = "finished_at"
        case attemptLog = "attempt_log"
    }
}

/// One call to a destination, as the worker recorded it.
public struct DeliveryAttemptRecord: Sendable, Hashable, Codable {
    /// 1 for the first attempt (a retried delivery's numbering starts again at 1).
    public var attempt: Int
    public var workerId: String
    public var startedAt: Date
    public var durationMilliseconds: Int
    /// `succeeded`, `retryable` or `permanent`.
    public var outcome: String
    public var httpStatus: Int?
    public var errorClass: String?
    public var errorMessage: String?
    /// The start of the CRM's answer, trimmed, without secrets.
    public var responseExcerpt: String?
    /// True when this attempt sent a message again after an earlier attempt that may already have
    /// sent it (the person may have it twice); false when the provider ruled that out; nil when no
    /// earlier attempt may have sent it.
    public var possibleDuplicate: Bool?

    enum CodingKeys: String, CodingKey {
        case attempt, outcome
        case workerId = "worker_id"
        case startedAt = "started_at"
        case durationMilliseconds = "duration_ms"
        case httpStatus = "http_status"
        case errorClass = "error_class"
        case errorMessage = "error_message"
        case responseExcerpt = "response_excerpt"
        case possibleDuplicate = "possible_duplicate"
    }
}
