import Foundation

/// The channels LeadRelay talks to a lead on.
public enum MessageChannel: String, Sendable, Hashable, CaseIterable, Codable {
    case sms, whatsapp, email

    /// `SMS`, `WhatsApp`, `email`: for reasons and pages.
    public var displayName: String {
        switch self {
        case .sms: "SMS"
        case .whatsapp: "WhatsApp"
        case .email: "email"
        }
    }
}

/// What a message delivery sends to a person, beside the provider request that carries it: the
/// channel, the lead's address on it, the sending account, the rendered text and, for SMS, its
/// segments. The worker checks opt-outs with it right before sending and records it on the
/// attempt row. Personal data: never log `recipient` or `text`.
public struct OutboundMessage: Sendable, Hashable {
    /// SMS, WhatsApp or email.
    public var channel: MessageChannel
    /// The lead's address on the channel: an E.164 phone, or an email.
    public var recipient: String
    /// The sending account: the `From` number or messaging service, the WhatsApp phone number id,
    /// the sender address.
    public var sender: String
    /// The text as rendered for this lead (an email's plain-text part).
    public var text: String
    /// For SMS: how many segments the text is sent as, and in which encoding.
    public var segments: SMSSegments?
    /// A limit per recipient on top of the account's (WhatsApp: one message per 6 s to the same
    /// person), shared by every worker; nil for none.
    public var recipientRateLimit: RecipientRateLimit?

    /// A rate limit on messages to one recipient: `requests` per `intervalMilliseconds` under `key`.
    public struct RecipientRateLimit: Sendable, Hashable {
        public var key: String
        public var requests: Int
        public var intervalMilliseconds: Int

        /// A limit of `requests` per `intervalMilliseconds` under `key`.
        public init(key: String, requests: Int, intervalMilliseconds: Int) {
            self.key = key
            self.requests = requests
            self.intervalMilliseconds = intervalMilliseconds
        }
    }

    /// A message to `recipient` on `channel` from `sender`.
    public init(
        channel: MessageChannel,
        recipient: String,
        sender: String,
        text: String,
        segments: SMSSegments? = nil,
        recipientRateLimit: RecipientRateLimit? = nil
    ) {
        self.channel = channel
        self.recipient = recipient
        self.sender = sender
        self.text = text
        self.segments = segments
        self.recipientRateLimit = recipientRateLimit
    }
}
