import Crypto
import Foundation
import Hummingbird
import Logging
import Redis
import Shared

/// Browsers that signed in to an account before (OWASP's "device cookie"): a successful sign-in
/// gives the browser a random `lr_device` cookie, remembered in Redis for that account for 90 days
/// (only its SHA-256). A later attempt for the account carrying it takes its password check in a lane
/// of its own (``PasswordCheckLimiter/Caller/knownDevice``), so a spray from browsers without one
/// cannot keep the account's owner waiting. When Redis cannot be reached no device is known.
struct KnownSignInDevices: Sendable {
    static let cookieName = "lr_device"
    /// How long a device stays known after its last sign-in.
    static let lifetimeSeconds = 90 * 86_400

    let stores: DataStores
    let logger: Logger

    /// Whether `token` (the `lr_device` cookie) was given to a browser that signed in as `email`.
    func isKnown(_ token: String?, email: String) async -> Bool {
        guard let token, !token.isEmpty, token.utf8.count <= 64 else { return false }
        do {
            let value = try await withTimeout(.milliseconds(250), operation: "sign-in device") { [stores, key = key(token)] in
                try await stores.redis.send(["GET", RedisArgument(key)])
            }
            return value.string == email.lowercased()
        } catch {
            logger.warning("sign-in device not checked: Redis unavailable")
            return false
        }
    }

    /// Remembers a new device for `email`: the cookie to set, or nil when Redis cannot be reached.
    func remember(email: String) async -> Cookie? {
        let token = RandomToken.make(length: 43)
        do {
            _ = try await withTimeout(.milliseconds(250), operation: "sign-in device") { [stores, key = key(token)] in
                try await stores.redis.send([
                    "SET", RedisArgument(key), RedisArgument(email.lowercased()),
                    "EX", RedisArgument("\(Self.lifetimeSeconds)"),
                ])
            }
        } catch {
            logger.warning("sign-in device not remembered: Redis unavailable")
            return nil
        }
        return Cookie(name: Self.cookieName, value: token, maxAge: Self.lifetimeSeconds, path: "/login", httpOnly: true, sameSite: .strict)
    }

    private func key(_ token: String) -> String {
        stores.redisKeys.prefix + ":login:device:" + SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
