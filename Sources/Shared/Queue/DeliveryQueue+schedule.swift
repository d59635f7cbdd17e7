import Foundation
import Redis

extension DeliveryQueue {
    /// Schedules a delivery to be put on the stream at `due` (a retry, or a delivery meant for a
    /// later time). Until then no worker reads it; ``promoteDue(now:)`` moves it once `due` has
    /// come. Scheduling it again moves it to the new time. PostgreSQL must say the same (the
    /// row's `next_attempt_at`): the repair reschedules from there if Redis loses the set.
    public func schedule(_ deliveryId: Int64, at due: Date) async throws {
        try await schedule([(deliveryId, due)])
    }

    /// Schedules each delivery at its own time, with one command.
    public func schedule(_ deliveries: [(deliveryId: Int64, due: Date)]) async throws {
        var settlement = Settlement()
        for (id, due) in deliveries { settlement.schedule(id, at: due) }
        try await settle(settlement)
    }

    /// Moves every scheduled delivery due at `now` to the stream, in batches of 500 per atomic
    /// script; returns how many moved. `now` defaults to the Redis server's clock, so workers
    /// whose clocks differ agree on what is due; tests pass it to drive time.
    @discardableResult
    public func promoteDue(now: Date? = nil) async throws -> Int {
        var arguments: [RedisArgument] = [RedisArgument(Self.promoteBatch), RedisArgument(Self.deliveryField)]
        if let now { arguments.append(RedisArgument(Self.score(now))) }
        var moved = 0
        while true {
            let reply = try await redis.evalScript(
                Self.promoteScript,
                keys: [RedisArgument(keys.scheduledDeliveries), RedisArgument(keys.deliveryStream)],
                arguments: arguments
            )
            let count = reply.int ?? 0
            moved += count
            if count < Self.promoteBatch { return moved }
        }
    }

    /// The score of a due time in the scheduled set: whole milliseconds since 1970, rounded down.
    static func score(_ due: Date) -> Int {
        Int((due.timeIntervalSince1970 * 1000).rounded(.down))
    }

    /// Most members one promote script moves.
    static let promoteBatch = 500

    /// KEYS[1] = scheduled set, KEYS[2] = stream; ARGV[1] = most members to move, ARGV[2] = the
    /// entry field, ARGV[3] = now in ms since 1970 (optional: the server's clock otherwise).
    static let promoteScript = RedisScript(
        """
        local now = tonumber(ARGV[3])
        if not now then
            local t = redis.call('TIME')
            now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        end
        local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
        for _, id in ipairs(due) do
            redis.call('XADD', KEYS[2], '*', ARGV[2], id)
        end
        if #due > 0 then
            redis.call('ZREM', KEYS[1], unpack(due))
        end
        return #due
        """
    )
}
