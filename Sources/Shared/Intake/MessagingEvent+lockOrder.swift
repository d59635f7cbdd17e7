extension Array where Element == MessagingEvent {
    /// The events in the order `record_message_events` should take their locks: replies first, as
    /// received (their order is the conversation's), then status reports sorted by channel and
    /// provider id. Each status locks its message row and takes the advisory lock of migration
    /// 0013's triggers; two webhooks reporting on the same messages in different orders would
    /// otherwise deadlock. The sort is stable, so a message's statuses keep their order.
    public var lockOrdered: [MessagingEvent] {
        var replies: [MessagingEvent] = []
        var statuses: [MessageStatusReport] = []
        for event in self {
            switch event {
            case .reply: replies.append(event)
            case .status(let report): statuses.append(report)
            }
        }
        let sorted = statuses.enumerated().sorted {
            ($0.element.channel.rawValue, $0.element.providerMessageId, $0.offset)
                < ($1.element.channel.rawValue, $1.element.providerMessageId, $1.offset)
        }
        return replies + sorted.map { .status($0.element) }
    }
}
