/// Why a Shopmonkey read failed; never carries the API token.
public enum ShopmonkeyPollError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 401/403: the API token is wrong or revoked; the source shows an error state.
    case unauthorized(String)
    /// 429: wait `retryAfter` (from `Retry-After`) before the next request.
    case rateLimited(retryAfter: Duration?)
    /// 5xx, a timeout, a connection failure, an unreadable answer: try again later.
    case unavailable(String)
    /// Another 4xx: the request is wrong for this account (e.g. a resource it cannot read).
    case refused(status: Int, message: String)

    public var description: String {
        switch self {
        case .unauthorized(let message): "Shopmonkey refused the API token (\(message)); set a current one with --secret api_token=…"
        case .rateLimited(let after): "Shopmonkey rate limit (429)" + (after.map { ", retry after \($0.components.seconds) s" } ?? "")
        case .unavailable(let message): "Shopmonkey is unavailable: \(message)"
        case .refused(let status, let message): "Shopmonkey refused the request (HTTP \(status): \(message))"
        }
    }
}
