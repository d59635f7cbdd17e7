import Foundation
import Logging
import Redis
import Shared

/// Limits failed sign-ins per email *from one client address* and per client address in fixed
/// 15-minute windows, counted in Redis so every web process shares them. Only failures count.
/// An email is never locked for every address: failures sent from elsewhere do not lock its owner
/// out. When Redis cannot be reached the check is skipped (bcrypt's cost and the cap on concurrent
/// password checks still slow guessing down) and logged.
struct LoginThrottle: Sendable {
    let stores: DataStores
    let logger: Logger
    /// Failed attempts allowed per email from one client address per window.
    var perEmailAndAddress = 10
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
        let prefix = stores.redisKeys.prefix + ":login:"
        // Without an address (not a TCP connection) the email alone is counted.
        var keys = [(prefix + "email-addr:" + email.lowercased() + "|" + (address ?? "-") + ":\(slot)", perEmailAndAddress)]
        if let address { keys.append((prefix + "addr:" + address + ":\(slot)", perAddress)) }
        return (keys, now)
    }
}
