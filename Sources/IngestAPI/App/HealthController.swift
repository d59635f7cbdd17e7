import Foundation
import Hummingbird
import PostgresNIO
import Redis
import Shared

/// `GET /health` (liveness: the process answers) and `GET /health/ready` (PostgreSQL and Redis
/// reachable within a short timeout; 503 naming the failing dependency otherwise).
struct HealthController: Sendable {
    let stores: DataStores

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("health") { _, _ in
            Self.json(.ok, ["status": "ok"])
        }
        router.get("health/ready") { _, context in
            await ready(logger: context.logger)
        }
    }

    private func ready(logger: Logger) async -> Response {
        async let database = check("postgresql") { [stores] in
            try await stores.postgres.execute("SELECT 1", logger: logger)
        }
        async let redis = check("redis") { [stores] in
            _ = try await stores.redis.send(["PING"])
        }
        let results = await [database, redis]
        var body: [String: String] = [:]
        for (name, problem) in results { body[name] = problem ?? "ok" }
        let failing = results.filter { $0.1 != nil }.map(\.0)
        body["status"] = failing.isEmpty ? "ready" : "unavailable: " + failing.joined(separator: ", ")
        return Self.json(failing.isEmpty ? .ok : .serviceUnavailable, body)
    }

    private func check(_ name: String, _ probe: @escaping @Sendable () async throws -> Void) async -> (String, String?) {
        do {
            try await withTimeout(.seconds(2), operation: name) { try await probe() }
            return (name, nil)
        } catch {
            return (name, "unreachable (\(String(describing: error).prefix(120)))")
        }
    }

    static func json(_ status: HTTPResponse.Status, _ body: [String: String]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}
