import Foundation

/// One message of a lead's conversation: sent to the lead by a messaging delivery, or received
/// from it (a reply). Personal data.
public struct ConversationMessage: Sendable, Hashable, Codable {
    public var id: Int64
    /// `out` (to the lead) or `in` (from the lead).
    public var direction: String
    /// `sms`, `whatsapp` or `email`.
    public var channel: String
    /// The lead's address on the channel.
    public var address: String
    /// Our sending account (number, phone number id, address).
    public var sender: String?
    /// An email reply's subject; nil for other messages.
    public var subject: String?
    public var body: String?
    /// `accepted`, `sent`, `delivered`, `read`, `failed`…, `received` for replies, `dry_run`.
    public var status: String?
    public var errorCode: String?
    public var errorReason: String?
    /// The provider's id for the message (`SM…`, `wamid…`).
    public var providerMessageId: String?
    /// The delivery that sent it (outbound only).
    public var deliveryId: Int64?
    /// When it was sent or received.
    public var at: Date
    /// When its status last changed.
    public var statusAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, direction, channel, address, sender, subject, body, status, at
        case errorCode = "error_code"
        case errorReason = "error_reason"
        case providerMessageId = "provider_message_id"
        case deliveryId = "delivery_id"
        case statusAt = "status_at"
    }
}
