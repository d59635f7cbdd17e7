/// An SMS a person sent to one of the tenant's Twilio numbers (Twilio's inbound message webhook).
public struct TwilioInboundMessage: Sendable, Hashable {
    /// `MessageSid` (`SM…`; `SmsMessageSid` or `SmsSid` when it is absent).
    public var messageSid: String
    /// `AccountSid` (`AC…`).
    public var accountSid: String?
    /// `MessagingServiceSid` (`MG…`) when the number belongs to a Messaging Service.
    public var messagingServiceSid: String?
    /// `From`: the sender, E.164 for SMS (the lead).
    public var from: String
    /// `To`: the tenant's Twilio number that received it.
    public var to: String
    /// `Body`: the text exactly as decoded from the form (empty for a picture-only message).
    public var body: String
    /// `NumSegments`, when present and numeric.
    public var numSegments: Int?
    /// `NumMedia`, when present and numeric.
    public var numMedia: Int?
    /// `OptOutType` (`STOP`, `START`, `HELP`): set when a Messaging Service's Advanced Opt-Out matched a keyword.
    public var optOutType: String?

    /// Creates a message.
    public init(
        messageSid: String,
        accountSid: String? = nil,
        messagingServiceSid: String? = nil,
        from: String,
        to: String,
        body: String,
        numSegments: Int? = nil,
        numMedia: Int? = nil,
        optOutType: String? = nil
    ) {
        self.messageSid = messageSid
        self.accountSid = accountSid
        self.messagingServiceSid = messagingServiceSid
        self.from = from
        self.to = to
        self.body = body
        self.numSegments = numSegments
        self.numMedia = numMedia
        self.optOutType = optOutType
    }

    /// The opt-out or opt-in keyword the body is, if any (see ``OptOutKeyword``).
    public var optOutKeyword: OptOutKeyword? { OptOutKeyword(message: body) }
}
