/// A delivery status report for a message we sent (Twilio's `StatusCallback` webhook). Twilio sends
/// none for the initial status, and reports may arrive out of order (see ``MessageDeliveryStatus``).
public struct TwilioStatusCallback: Sendable, Hashable {
    /// `MessageSid` (`SM…`; `SmsSid` when it is absent): the provider id of the message sent.
    public var messageSid: String
    /// `MessageStatus` as received, e.g. `sent`, `delivered`, `undelivered`.
    public var messageStatus: String
    /// `ErrorCode` (e.g. 30006) on `failed` / `undelivered`; nil when absent, empty or not a number.
    public var errorCode: Int?
    /// `To`: the recipient (the lead).
    public var to: String?
    /// `From`: the sending number.
    public var from: String?
    /// `AccountSid` (`AC…`).
    public var accountSid: String?

    /// Creates a status report.
    public init(
        messageSid: String,
        messageStatus: String,
        errorCode: Int? = nil,
        to: String? = nil,
        from: String? = nil,
        accountSid: String? = nil
    ) {
        self.messageSid = messageSid
        self.messageStatus = messageStatus
        self.errorCode = errorCode
        self.to = to
        self.from = from
        self.accountSid = accountSid
    }

    /// `messageStatus` as a ranked status; nil for a status that is not ranked (e.g. `scheduled`, `canceled`).
    public var status: MessageDeliveryStatus? { MessageDeliveryStatus.from(twilio: messageStatus) }
}
