/// What a messaging webhook reports, channel-neutral: a person's reply or a delivery status of a
/// message we sent. Recorded by ``MessageEventWriter`` (`record_message_events`).
public enum MessagingEvent: Sendable, Hashable {
    /// A person wrote to one of the tenant's numbers or addresses.
    case reply(MessageReply)
    /// The provider reported a new delivery status for a message we sent.
    case status(MessageStatusReport)
}

/// A message a person sent us (SMS, WhatsApp, email reply).
public struct MessageReply: Sendable, Hashable {
    public var channel: MessageChannel
    /// Who wrote: E.164 phone (SMS, WhatsApp) or email address; the lead is matched on it.
    public var address: String
    /// Where it arrived: our number or address.
    public var sender: String?
    /// The provider's id of the message (Twilio `MessageSid`); a repeat is recorded once.
    public var providerMessageId: String
    /// The text exactly as received.
    public var body: String
    /// The opt-out or opt-in keyword the text is, when it is one and `address` can be opted out.
    public var keyword: OptOutKeyword?
    /// An email's subject.
    public var subject: String?
    /// The delivery whose message this answers, when the reply names it (an email's `In-Reply-To`):
    /// its lead is matched first, within the tenant.
    public var inReplyToDeliveryId: Int64?
    /// What was not taken exactly as sent (e.g. an unknown charset), added to the event's reason.
    public var note: String?

    /// Describes a reply.
    public init(
        channel: MessageChannel,
        address: String,
        sender: String?,
        providerMessageId: String,
        body: String,
        keyword: OptOutKeyword?,
        subject: String? = nil,
        inReplyToDeliveryId: Int64? = nil,
        note: String? = nil
    ) {
        self.channel = channel
        self.address = address
        self.sender = sender
        self.providerMessageId = providerMessageId
        self.body = body
        self.keyword = keyword
        self.subject = subject
        self.inReplyToDeliveryId = inReplyToDeliveryId
        self.note = note
    }
}

/// A delivery status the provider reported for a message we sent.
public struct MessageStatusReport: Sendable, Hashable {
    public var channel: MessageChannel
    /// The provider's id of the message we sent (Twilio `SM…`), as stored on its `messages` row.
    public var providerMessageId: String
    public var status: MessageDeliveryStatus
    /// The provider's error code on a failure (Twilio `ErrorCode`, e.g. `30006`).
    public var errorCode: String?
    /// The provider's error text, when it sends one.
    public var errorReason: String?

    /// Describes a status report.
    public init(
        channel: MessageChannel,
        providerMessageId: String,
        status: MessageDeliveryStatus,
        errorCode: String? = nil,
        errorReason: String? = nil
    ) {
        self.channel = channel
        self.providerMessageId = providerMessageId
        self.status = status
        self.errorCode = errorCode
        self.errorReason = errorReason
    }
}
