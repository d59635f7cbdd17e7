import Foundation
import Redis

extension DeliveryQueue {
    /// What to do on Redis once a batch of deliveries is settled in PostgreSQL: acknowledge and
    /// delete their entries, schedule the ones to try later, put handed-back ones on the stream
    /// again. ``settle(_:)`` sends it all as one pipeline (the worker's one round trip per batch).
    public struct Settlement: Sendable {
        var handedBack: [Int64] = []
        var scheduled: [RedisArgument] = []
        var revisited: [RedisArgument] = []
        var entryIds: [RedisArgument] = []

        /// Nothing to do yet.
        public init() {}

        /// Whether there is nothing to send.
        public var isEmpty: Bool { handedBack.isEmpty && scheduled.isEmpty && revisited.isEmpty && entryIds.isEmpty }

        /// Puts `deliveryId` on the stream again (claimed, not worked: for another worker).
        public mutating func handBack(_ deliveryId: Int64) {
            handedBack.append(deliveryId)
        }

        /// Makes `deliveryId` due at `due` (see ``DeliveryQueue/schedule(_:at:)``).
        public mutating func schedule(_ deliveryId: Int64, at due: Date) {
            scheduled += [RedisArgument(DeliveryQueue.score(due)), RedisArgument(String(deliveryId))]
        }

        /// Makes `deliveryId` due at `due` unless it is scheduled later already (`ZADD … GT`): for
        /// an entry read while its delivery was still being worked here. It may be a duplicate or
        /// the next attempt's own entry, promoted before the attempt was settled; looked at again
        /// once that is over, it claims nothing or the next attempt, and a later retry is not
        /// pulled forward.
        public mutating func revisit(_ deliveryId: Int64, at due: Date) {
            revisited += [RedisArgument(DeliveryQueue.score(due)), RedisArgument(String(deliveryId))]
        }

        /// Acknowledges and deletes stream entries whose deliveries need them no more.
        public mutating func acknowledge(_ entryIds: [String]) {
            self.entryIds += entryIds.map { RedisArgument($0) }
        }
    }

    /// Sends `settlement` as one pipeline: the hand-backs' entries, the scheduled set's additions,
    /// then `XACK` and `XDEL` of the finished entries. Throws only when Redis is unreachable;
    /// anything lost then costs a duplicate or a repair later, never a delivery.
    public func settle(_ settlement: Settlement) async throws {
        var commands = settlement.handedBack.map(addCommand)
        if !settlement.scheduled.isEmpty {
            commands.append(["ZADD", RedisArgument(keys.scheduledDeliveries)] + settlement.scheduled)
        }
        if !settlement.revisited.isEmpty {
            commands.append(["ZADD", RedisArgument(keys.scheduledDeliveries), "GT"] + settlement.revisited)
        }
        if !settlement.entryIds.isEmpty {
            let stream = RedisArgument(keys.deliveryStream)
            commands.append(["XACK", stream, RedisArgument(keys.consumerGroup)] + settlement.entryIds)
            commands.append(["XDEL", stream] + settlement.entryIds)
        }
        guard !commands.isEmpty else { return }
        _ = try await redis.pipeline(commands)
    }

    /// Acknowledges and deletes stream entries (done, malformed, or naming a delivery that claims nothing).
    public func acknowledge(_ entryIds: [String]) async throws {
        var settlement = Settlement()
        settlement.acknowledge(entryIds)
        try await settle(settlement)
    }

    /// Puts deliveries claimed but not worked on the stream again, for another worker.
    public func handBack(_ deliveryIds: [Int64]) async throws {
        var settlement = Settlement()
        for id in deliveryIds { settlement.handBack(id) }
        try await settle(settlement)
    }
}
