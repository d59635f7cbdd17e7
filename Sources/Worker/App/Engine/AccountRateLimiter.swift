import Foundation
import Logging
import Redis
import Shared

/// Rate limits shared by every worker process, per destination account (a GoHighLevel location,
/// a Momence host): at most `requests` calls in any window of `interval`, enforced with one Lua
/// script over a Redis sorted set of reserved send times.
///
/// A caller reserves the earliest slot that keeps every sliding window within the limit. When
/// that slot is near (≤ ``maximumWait``) it is reserved and the caller sleeps until it; when it is
/// further away nothing is reserved and the delivery is rescheduled for then, without spending
/// an attempt.
struct AccountRateLimiter: Sendable {
    /// The decision for one call.
    enum Decision: Sendable, Equatable {
        /// A slot is reserved `after` from now (zero: go at once).
        case proceed(after: Duration)
        /// No slot within ``maximumWait``; try again `after` from now.
        case throttled(after: Duration)
    }

    let redis: RedisClient
    let keys: RedisKeys
    /// Longest a worker sleeps for a slot instead of rescheduling the delivery.
    var maximumWait: Duration = .seconds(5)

    /// KEYS[1] = the account's set; ARGV = limit, interval ms, max wait ms, member.
    /// Times come from the Redis server clock, shared by all workers.
    static let script = RedisScript(
        """
        local key = KEYS[1]
        local limit = tonumber(ARGV[1])
        local interval = tonumber(ARGV[2])
        local max_wait = tonumber(ARGV[3])
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        redis.call('ZREMRANGEBYSCORE', key, '-inf', now - interval)
        local n = redis.call('ZCARD', key)
        local slot = now
        if n > 0 then
            local last = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
            slot = math.max(slot, tonumber(last[2]))
        end
        if n >= limit then
            local oldest = redis.call('ZRANGE', key, n - limit, n - limit, 'WITHSCORES')
            slot = math.max(slot, tonumber(oldest[2]) + interval)
        end
        local wait = slot - now
        if wait > max_wait then
            return {0, wait, slot}
        end
        redis.call('ZADD', key, slot, ARGV[4])
        redis.call('PEXPIRE', key, interval + wait + 1000)
        return {1, wait, slot}
        """
    )

    /// The window actually enforced: the CRM counts arrivals, and the time between a reserved slot
    /// and the request's arrival varies (task wake-up, a new connection), so slots are spaced by
    /// the interval plus a margin of 250 ms + 2% that absorbs that variation.
    static func enforcedInterval(milliseconds: Int) -> Int {
        milliseconds + 250 + milliseconds / 50
    }

    /// Reserves a slot for one call on `account` limited to `requests` per `intervalMilliseconds`.
    func reserve(account: String, requests: Int, intervalMilliseconds: Int, member: String) async throws -> Decision {
        try await reservation(account: account, requests: requests, intervalMilliseconds: intervalMilliseconds, member: member).decision
    }

    /// ``reserve(account:requests:intervalMilliseconds:member:)`` with the slot's time on the
    /// Redis clock (milliseconds since the epoch), for tests of the shared schedule.
    func reservation(
        account: String,
        requests: Int,
        intervalMilliseconds: Int,
        member: String
    ) async throws -> (decision: Decision, slotMilliseconds: Int) {
        let reply = try await redis.evalScript(
            Self.script,
            keys: [RedisArgument(keys.rateLimit(account: account))],
            arguments: [
                RedisArgument(requests), RedisArgument(Self.enforcedInterval(milliseconds: intervalMilliseconds)),
                RedisArgument(Int(maximumWait.components.seconds * 1000)), RedisArgument(member),
            ]
        )
        guard let parts = reply.array, parts.count == 3, let granted = parts[0].int, let wait = parts[1].int, let slot = parts[2].int else {
            throw RedisUnexpectedReplyError(command: "rate limit script", reply: reply)
        }
        let after = Duration.milliseconds(max(0, wait))
        return (granted == 1 ? .proceed(after: after) : .throttled(after: after), slot)
    }
}
