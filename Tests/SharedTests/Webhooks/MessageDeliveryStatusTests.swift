import Shared
import Testing

@Suite("Message delivery status ranks")
struct MessageDeliveryStatusTests {
    /// The columns of ``mergeTable``: the incoming status.
    static let incoming: [MessageDeliveryStatus] = [.queued, .accepted, .sending, .sent, .delivered, .read, .failed, .undelivered]

    /// Each row: the current status, then the merged status for each of ``incoming``.
    static let mergeTable: [(MessageDeliveryStatus, [MessageDeliveryStatus])] = [
        (.queued, [.queued, .queued, .sending, .sent, .delivered, .read, .failed, .undelivered]),
        (.accepted, [.accepted, .accepted, .sending, .sent, .delivered, .read, .failed, .undelivered]),
        (.sending, [.sending, .sending, .sending, .sent, .delivered, .read, .failed, .undelivered]),
        (.sent, [.sent, .sent, .sent, .sent, .delivered, .read, .failed, .undelivered]),
        (.delivered, [.delivered, .delivered, .delivered, .delivered, .delivered, .read, .delivered, .delivered]),
        (.read, [.read, .read, .read, .read, .read, .read, .read, .read]),
        (.failed, [.failed, .failed, .failed, .failed, .failed, .failed, .failed, .failed]),
        (.undelivered, [.undelivered, .undelivered, .undelivered, .undelivered, .undelivered, .undelivered, .undelivered, .undelivered]),
    ]

    @Test func theTableCoversEveryPair() {
        #expect(Self.incoming.sorted { $0.rawValue < $1.rawValue } == MessageDeliveryStatus.allCases.sorted { $0.rawValue < $1.rawValue })
        #expect(Set(Self.mergeTable.map(\.0)) == Set(MessageDeliveryStatus.allCases))
        #expect(Self.mergeTable.allSatisfy { $0.1.count == Self.incoming.count })
    }

    @Test(arguments: mergeTable)
    func merge(current: MessageDeliveryStatus, expected: [MessageDeliveryStatus]) {
        for (incoming, result) in zip(Self.incoming, expected) {
            #expect(current.merged(with: incoming) == result, "\(current) + \(incoming)")
        }
    }

    @Test func readBeforeDeliveredStaysRead() {
        let statuses: [MessageDeliveryStatus] = [.sent, .read, .delivered, .sent]
        #expect(statuses.dropFirst().reduce(statuses[0]) { $0.merged(with: $1) } == .read)
    }

    @Test func ranks() {
        #expect(MessageDeliveryStatus.allCases.map(\.rank) == [1, 1, 2, 3, 4, 5, 6, 6])
        #expect(MessageDeliveryStatus.allCases.filter(\.isFailure) == [.failed, .undelivered])
    }

    @Test(arguments: [
        ("queued", MessageDeliveryStatus?.some(.queued)),
        ("accepted", .accepted),
        ("sending", .sending),
        ("sent", .sent),
        ("delivered", .delivered),
        ("read", .read),
        ("failed", .failed),
        ("undelivered", .undelivered),
        ("Delivered", .delivered),
        ("scheduled", nil),
        ("canceled", nil),
        ("partially_delivered", nil),
        ("receiving", nil),
        ("received", nil),
        ("", nil),
    ])
    func twilioStatuses(status: String, expected: MessageDeliveryStatus?) {
        #expect(MessageDeliveryStatus.from(twilio: status) == expected)
    }

    @Test(arguments: [
        ("sent", MessageDeliveryStatus?.some(.sent)),
        ("delivered", .delivered),
        ("read", .read),
        ("failed", .failed),
        ("READ", .read),
        ("played", nil),
        ("deleted", nil),
        ("queued", nil),
        ("undelivered", nil),
    ])
    func whatsappStatuses(status: String, expected: MessageDeliveryStatus?) {
        #expect(MessageDeliveryStatus.from(whatsapp: status) == expected)
    }
}
