/// What a Twilio messaging webhook reports: an inbound SMS or a status callback.
public enum TwilioWebhookEvent: Sendable, Hashable {
    /// A person sent an SMS to one of the tenant's numbers.
    case inbound(TwilioInboundMessage)
    /// The delivery status of a message we sent changed.
    case status(TwilioStatusCallback)

    /// Reads an `application/x-www-form-urlencoded` webhook body (UTF-8). See ``init(parameters:)``.
    ///
    /// - Throws: 400 `empty body`, or a rejection of ``init(parameters:)``.
    public init(formBody: [UInt8]) throws(WebhookRejection) {
        if WebhookJSON.isBlank(formBody) { throw .rejected(400, "empty body") }
        try self.init(parameters: FormURLEncoded.pairs(formBody))
    }

    /// Reads the webhook's parameters (the form of a POST, the query of a GET). A repeated name's
    /// first value counts; unknown names are ignored. It is an inbound message when `SmsStatus` is
    /// `received`, or when it has a `Body` and no `MessageStatus`; else a status callback when it has
    /// a `MessageStatus`.
    ///
    /// - Throws: 422 when it is neither, or lacks a field the kind needs: a message sid (`MessageSid`,
    ///   `SmsMessageSid` or `SmsSid`) for both, `From` and `To` for an inbound message.
    public init(parameters: [(name: String, value: String)]) throws(WebhookRejection) {
        var fields: [String: String] = [:]
        for (name, value) in parameters where fields[name] == nil { fields[name] = value }
        func present(_ name: String) -> String? { fields[name].flatMap { $0.isEmpty ? nil : $0 } }
        let messageSid = present("MessageSid") ?? present("SmsMessageSid") ?? present("SmsSid")

        if fields["SmsStatus"] == "received" || (fields["Body"] != nil && present("MessageStatus") == nil) {
            guard let messageSid else { throw .rejected(422, "inbound message without MessageSid") }
            guard let from = present("From") else { throw .rejected(422, "inbound message without From") }
            guard let to = present("To") else { throw .rejected(422, "inbound message without To") }
            self = .inbound(
                TwilioInboundMessage(
                    messageSid: messageSid,
                    accountSid: present("AccountSid"),
                    messagingServiceSid: present("MessagingServiceSid"),
                    from: from,
                    to: to,
                    body: fields["Body"] ?? "",
                    numSegments: present("NumSegments").flatMap { Int($0) },
                    numMedia: present("NumMedia").flatMap { Int($0) },
                    optOutType: present("OptOutType")
                )
            )
        } else if let messageStatus = present("MessageStatus") {
            guard let messageSid else { throw .rejected(422, "status callback without MessageSid") }
            self = .status(
                TwilioStatusCallback(
                    messageSid: messageSid,
                    messageStatus: messageStatus,
                    errorCode: present("ErrorCode").flatMap { Int($0) },
                    to: present("To"),
                    from: present("From"),
                    accountSid: present("AccountSid")
                )
            )
        } else {
            throw .rejected(
                422,
                "not a Twilio messaging webhook: expected an inbound message (SmsStatus=received or Body) "
                    + "or a status callback (MessageStatus)"
            )
        }
    }
}
