import Logging
import Redis

extension DeliveryQueue {
    /// Creates the consumer group (at the start of the stream, creating the stream too) unless it exists.
    public func ensureGroup() async throws {
        _ = try await redis.xgroupCreate(keys.deliveryStream, group: keys.consumerGroup, id: "0", mkstream: true)
    }

    /// Reads up to `count` entries no consumer has read yet, as `consumer`, waiting up to
    /// `waitingUpTo` for the first one (`XREADGROUP … BLOCK`). Empty when none came, or when the
    /// group was gone: it is created again for the next read.
    public func read(consumer: String, count: Int, waitingUpTo: Duration) async throws -> [Entry] {
        let block = Int(waitingUpTo.wholeMilliseconds)
        return try await recreatingMissingGroup {
            try await redis.xreadgroup(
                group: keys.consumerGroup,
                consumer: consumer,
                streams: [keys.deliveryStream],
                count: count,
                blockMilliseconds: max(block, 1)
            ).map(Entry.init)
        }
    }

    /// Takes over up to `count` entries another consumer read and left unacknowledged for at
    /// least `idleFor` (a worker that died), as `consumer` (`XAUTOCLAIM`).
    public func reclaim(consumer: String, idleFor: Duration, count: Int) async throws -> [Entry] {
        let idle = Int(idleFor.wholeMilliseconds)
        return try await recreatingMissingGroup {
            try await redis.xautoclaim(
                keys.deliveryStream,
                group: keys.consumerGroup,
                consumer: consumer,
                minIdleMilliseconds: idle,
                count: count
            ).entries.map(Entry.init)
        }
    }

    /// Runs a group read; when Redis answers `NOGROUP` (it lost its data) creates the group again
    /// and returns no entries, so the caller just reads again.
    private func recreatingMissingGroup(_ read: () async throws -> [Entry]) async throws -> [Entry] {
        do {
            return try await read()
        } catch let error as RedisServerError where error.code == "NOGROUP" {
            logger.warning("the consumer group is gone (Redis lost its data?); creating it again")
            try? await ensureGroup()
            return []
        }
    }
}
