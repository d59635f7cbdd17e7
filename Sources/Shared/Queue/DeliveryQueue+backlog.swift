import Foundation
import Redis

extension DeliveryQueue {
    /// How many entries are on the stream and how many deliveries wait in the scheduled set (0
    /// for a count Redis did not answer), for the queue gauges.
    public func lengths() async throws -> (streamEntries: Int, scheduled: Int) {
        let replies = try await redis.pipeline([["XLEN", RedisArgument(keys.deliveryStream)], ["ZCARD", RedisArgument(keys.scheduledDeliveries)]])
        func count(_ index: Int) -> Int {
            guard replies.indices.contains(index), case .success(let value) = replies[index] else { return 0 }
            return value.int ?? 0
        }
        return (count(0), count(1))
    }

    /// While the consumer group is behind, the time of the newest entry it has read: `queued`
    /// rows touched after that are still waiting in the stream, not lost (a web process that died
    /// between COMMIT and XADD). nil when nothing waits (the plain grace applies);
    /// `Date.distantPast` when entries wait and the group has read none. Without this, every sweep
    /// during a long backlog (a million deliveries after an outage) added a duplicate entry for
    /// every row waiting longer than the grace, growing the stream and the work each time.
    func backlogReadUpTo() async throws -> Date? {
        guard let position = try await groupPosition(), position.lastDelivered != position.lastGenerated else { return nil }
        return Self.entryTime(position.lastDelivered) ?? .distantPast
    }

    /// The newest entry id added to the stream and the newest one the group has read; nil when
    /// the stream or the group does not exist (the next sweep's rebuild covers that).
    func groupPosition() async throws -> (lastGenerated: String, lastDelivered: String)? {
        let replies = try await redis.pipeline([
            ["XINFO", "STREAM", RedisArgument(keys.deliveryStream)],
            ["XINFO", "GROUPS", RedisArgument(keys.deliveryStream)],
        ])
        // A missing stream answers "ERR no such key".
        guard replies.count == 2, case .success(let stream) = replies[0], case .success(let groups) = replies[1],
            let generated = Self.field("last-generated-id", in: stream)?.string
        else { return nil }
        for group in groups.array ?? [] where Self.field("name", in: group)?.string == keys.consumerGroup {
            guard let delivered = Self.field("last-delivered-id", in: group)?.string else { return nil }
            return (generated, delivered)
        }
        return nil
    }

    /// A value of an `XINFO` reply (a flat array of names and values).
    static func field(_ name: String, in reply: RedisValue) -> RedisValue? {
        guard let items = reply.array else { return nil }
        var index = 0
        while index + 1 < items.count {
            if items[index].string == name { return items[index + 1] }
            index += 2
        }
        return nil
    }

    /// The time in a stream entry id (`<milliseconds>-<sequence>`); nil for `0-0` or junk.
    static func entryTime(_ id: String) -> Date? {
        guard let milliseconds = id.split(separator: "-").first.flatMap({ Int64($0) }), milliseconds > 0 else { return nil }
        return Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}
