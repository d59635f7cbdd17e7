import Foundation
import Redis
import Shared

/// Google Sheets read quotas, shared by every worker through the account rate limiter: 60 reads
/// a minute per user (a service account is one user) and 300 per project.
struct SheetsReadQuota: Sendable {
    let limiter: AccountRateLimiter
    let account: String

    init(redis: RedisClient, keys: RedisKeys, account: String) {
        self.limiter = AccountRateLimiter(redis: redis, keys: keys)
        self.account = account
    }

    /// The project of a service account's email (`name@project.iam.gserviceaccount.com`).
    var project: String {
        let domain = account.split(separator: "@").last.map(String.init) ?? account
        return domain.split(separator: ".").first.map(String.init) ?? domain
    }

    /// Waits for room in both quotas.
    ///
    /// - Throws: ``PollStop/throttled(after:)`` when there is none soon.
    func acquire() async throws {
        for (name, requests) in [("sheets:user:\(account)", 60), ("sheets:project:\(project)", 300)] {
            switch try await limiter.reserve(account: name, requests: requests, intervalMilliseconds: 60_000, member: UUID().uuidString) {
            case .proceed(let after):
                if after > .zero { try await Task.sleep(for: after) }
            case .throttled(let after):
                throw PollStop.throttled(after: after)
            }
        }
    }
}
