import Foundation
import Hummingbird
import Logging
import Redis
import Shared

/// Authenticates `Authorization: Bearer <api key>` and applies the key's per-minute rate limit
/// (shared by every web process through Redis; when Redis is unreachable the limit is skipped
/// rather than refusing leads, and after three failures in a row not asked again for 5 s).
struct APIKeyMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let stores: DataStores
    let logger: Logger
    /// After Redis failed to answer three times in a row, the limit is skipped for 5 s instead of
    /// waiting 250 ms on every request.
    let redisBackoff = FailureBackoff(pause: 5)

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw APIError(
                .unauthorized,
                code: "unauthorized",
                message: "missing API key: send Authorization: Bearer <key>",
                headers: [.wwwAuthenticate: "Bearer"]
            )
        }
        let presented = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        let key = try await APIKeyStore(client: stores.postgres, logger: logger).authenticate(presented)
        guard let key else {
            throw APIError(.unauthorized, code: "unauthorized", message: "invalid or revoked API key", headers: [.wwwAuthenticate: "Bearer"])
        }
        if let retryAfter = await rateLimitRetryAfter(key) {
            throw APIError(
                .tooManyRequests,
                code: "rate_limited",
                message: "more than \(key.requestsPerMinute) requests per minute for this API key; retry in \(retryAfter) s",
                headers: [.retryAfter: "\(retryAfter)"]
            )
        }
        var context = context
        context.apiKey = key
        context.logger[metadataKey: "tenant_id"] = .id(key.tenantId)
        context.accessLog.set("tenant_id", .id(key.tenantId))
        context.accessLog.set("api_key", .string(key.prefix))
        return try await next(request, context)
    }

    /// Seconds until the next window when this request exceeds the key's limit, else nil.
    private func rateLimitRetryAfter(_ key: APIKey) async -> Int? {
        if redisBackoff.isSkipping { return nil }
        let now = Int(Date().timeIntervalSince1970)
        let window = now / 60
        let redisKey = RedisArgument(stores.redisKeys.apiKeyRate(keyID: key.id.uuidString) + ":\(window)")
        do {
            let replies = try await withTimeout(.milliseconds(250), operation: "rate limit") { [stores] in
                try await stores.redis.pipeline([["INCR", redisKey], ["EXPIRE", redisKey, "120"]])
            }
            redisBackoff.recordSuccess()
            guard case .success(let count)? = replies.first, let used = count.int else { return nil }
            return used > key.requestsPerMinute ? max(1, (window + 1) * 60 - now) : nil
        } catch {
            redisBackoff.recordFailure()
            logger.debug("rate limit skipped: redis unavailable")
            return nil
        }
    }
}
