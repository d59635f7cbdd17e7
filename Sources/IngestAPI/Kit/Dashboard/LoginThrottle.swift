import Foundation
import Logging
import Shared

/// Limits sign-in attempts per email and per client address in fixed 15-minute windows,
/// counted in Redis so every web process shares them. Only failures count. When Redis cannot
/// be reached the check is skipped (bcrypt's cost still slows guessing down) and logged.
struct LoginThrottle: Sendable {
    let stores: DataStores
    let logger: Logger
    /// Failed attempts allowed per email per window.
    var perEmail = 10
    /// Failed attempts allowed per client address per window.
    var perAddress = 50
    /// Window length in seconds.
    var window = 900

    /// Seconds to wait when either limit is used up, else nil.
    func retryAfter(email: String, address: String?) async -> Int? {
        let (keys, now) = keys(email: email, address: address)
        do {
            let replies = try await withTimeout(.milliseconds(250), operation: "login throttle") { [stores] in
                try await stores.redis.pipeline(keys.map { ["GET", RedisArgument($0.key)] })
            }
            for (reply, limit) in zip(replies, keys.map(\.limit)) {
                if case .success(let value) = reply, let used = value.int, used >= limit {
                    return max(1, (now / window + 1) * window - now)
                }
            }
        } catch {
            logger.warning("sign-in throttle skipped: Redis unavailable")
        }
        return nil
    }

    /// Counts a failed attempt.
    func recordFailure(email: String, address: String?) async {
        let (keys, _) = keys(email: email, address: address)
        var commands: [[RedisArgument]] = []
        for key in keys {
            commands.append(["INCR", RedisArgument(key.key)])
            commands.append(["EXPIRE", RedisArgument(key.key), RedisArgument("\(window * 2)")])
        }
        do {
            _ = try await withTimeout(.milliseconds(250), operation: "login throttle") { [stores, commands] in
                try await stores.redis.pipeline(commands)
            }
        } catch {
            logger.warning("sign-in failure not counted: Redis unavailable")
        }
    }

    private func keys(email: String, address: String?) -> ([(key: String, limit: Int)], Int) {
        let now = Int(Date().timeIntervalSince1970)
        let slot = now / window
        var keys = [(stores.redisKeys.prefix + ":login:email:" + email.lowercased() + ":\(slot)", perEmail)]
        if let address { keys.append((stores.redisKeys.prefix + ":login:addr:" + address + ":\(slot)", perAddress)) }
        return (keys, now)
    }
}
