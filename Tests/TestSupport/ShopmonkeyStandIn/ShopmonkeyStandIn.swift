import Foundation
import Shared
import Synchronization

/// Shopmonkey's API v3 on loopback for polling (reference §7): `POST /v3/customer/search`,
/// `POST /v3/order/search` and `GET /v3/customer/{id}` over customers and orders the test adds and
/// updates, in Shopmonkey's envelope `{"success": true, "data": …, "meta": {"total", "hasMore"}}`.
///
/// As the real API: `limit` is clamped to 100, `skip` pages, `where.updatedDate` takes bare
/// `gte`/`gt`/`lte`/`lt` (Mongo-style `$gte` is silently ignored), `orderBy` takes `updatedDate` or
/// `id`, and a wrong Bearer token is 401. Modes emulate its quirks: `where` ignored entirely,
/// overlapping pages, `orderBy` ignored, 429 with `Retry-After`. Start one with
/// ``withRunning(apiToken:_:)``; all state is thread-safe.
public final class ShopmonkeyStandIn: Sendable {
    /// The records, the modes and the record of requests.
    struct State {
        var customers: [String: ShopmonkeyCustomer] = [:]
        var orders: [String: ShopmonkeyOrder] = [:]
        var ignoresWhere = false
        var overlapsPages = false
        var ignoresOrderBy = false
        var rateLimited = 0
        var retryAfter = 1
        var requests: [ShopmonkeyRequest] = []
    }

    /// The Bearer token requests must carry (the source's `api_token` secret).
    public let apiToken: String
    /// The loopback server (its raw request record included).
    public let server: CRMStandIn
    let state = Mutex(State())

    /// A stand-in answering on `server` (install ``answer(_:)`` as its responder) for `apiToken`.
    public init(server: CRMStandIn, apiToken: String) {
        self.server = server
        self.apiToken = apiToken
    }

    /// `http://127.0.0.1:<port>/v3`: the source's `api_base_url`.
    public var baseURL: String { server.baseURL + "/v3" }

    /// Every request so far, oldest first (refused ones included).
    public var requests: [ShopmonkeyRequest] { state.withLock { $0.requests } }

    /// Requests so far to `path` under the base URL (`/customer/search`, `/customer/c-1`).
    public func requestCount(_ path: String) -> Int {
        state.withLock { $0.requests.filter { $0.path == path }.count }
    }

    /// Forgets the recorded requests.
    public func forgetRequests() {
        state.withLock { $0.requests = [] }
    }

    /// Runs a stand-in on 127.0.0.1 for the duration of `body`, accepting `apiToken`.
    public static func withRunning<T: Sendable>(
        apiToken: String = "shopmonkey-test-token",
        _ body: (ShopmonkeyStandIn) async throws -> T
    ) async throws -> T {
        try await CRMStandIn.withRunning { server in
            let standIn = ShopmonkeyStandIn(server: server, apiToken: apiToken)
            server.respond { standIn.answer($0) }
            return try await body(standIn)
        }
    }

    /// The answer to `request`, recorded.
    public func answer(_ request: RecordedRequest) -> StandInAnswer {
        let path = request.path.hasPrefix("/v3/") ? String(request.path.dropFirst(3)) : request.path
        let body = try? JSONValue.parse(request.body)
        let answer = route(method: request.method, path: path, body: body, authorization: request.header("Authorization"))
        let recorded = ShopmonkeyRequest(method: request.method, path: path, body: body, status: answer.status, receivedAt: request.receivedAt)
        state.withLock { $0.requests.append(recorded) }
        return answer
    }

    /// Checks the token and the rate limit, then serves the endpoint.
    private func route(method: String, path: String, body: JSONValue?, authorization: String?) -> StandInAnswer {
        guard authorization == "Bearer \(apiToken)" else { return .shopmonkeyError(401, code: "unauthorized", message: "Invalid API key") }
        return state.withLock { state in
            if state.rateLimited > 0 {
                state.rateLimited -= 1
                return .shopmonkeyError(429, code: "rate_limited", message: "Too many requests", headers: [("Retry-After", "\(state.retryAfter)")])
            }
            switch (method, path) {
            case ("POST", "/customer/search"):
                guard let query = body?.objectMembers else { return .shopmonkeyError(400, code: "bad_request", message: "Invalid JSON body") }
                return state.search(state.customers.values.map { ($0.id, $0.updatedDate, $0.json) }, query)
            case ("POST", "/order/search"):
                guard let query = body?.objectMembers else { return .shopmonkeyError(400, code: "bad_request", message: "Invalid JSON body") }
                return state.search(state.orders.values.map { ($0.id, $0.updatedDate, $0.json) }, query)
            case ("GET", _) where path.hasPrefix("/customer/") && path.split(separator: "/").count == 2:
                let id = String(path.dropFirst("/customer/".count)).removingPercentEncoding ?? ""
                guard let customer = state.customers[id] else {
                    return .shopmonkeyError(404, code: "not_found", message: "Customer not found")
                }
                return .ok(JSONValue.object(["success": true, "data": customer.json]).compactJSONText)
            default:
                return .shopmonkeyError(404, code: "not_found", message: "Cannot \(method) /v3\(path)")
            }
        }
    }
}
