import Foundation
import Redis

/// Worker liveness in Redis: each worker refreshes `<prefix>:worker:<id>` (a small JSON status,
/// 15 s expiry) every 5 s; the API, the CLI and the metrics list the keys still alive.
public struct WorkerHeartbeats: Sendable {
    let stores: DataStores
    /// How long a heartbeat lives without a refresh.
    public static let timeToLive: Duration = .seconds(15)

    /// Heartbeats over `stores`.
    public init(stores: DataStores) {
        self.stores = stores
    }

    /// What a worker reports about itself.
    public struct Status: Sendable, Codable, Hashable {
        public var workerId: String
        public var startedAt: Date
        public var inFlight: Int
        public var concurrency: Int

        /// Creates a status.
        public init(workerId: String, startedAt: Date, inFlight: Int, concurrency: Int) {
            self.workerId = workerId
            self.startedAt = startedAt
            self.inFlight = inFlight
            self.concurrency = concurrency
        }

        enum CodingKeys: String, CodingKey {
            case workerId = "worker_id"
            case startedAt = "started_at"
            case inFlight = "in_flight"
            case concurrency
        }
    }

    /// Publishes `status` for ``timeToLive``.
    public func beat(_ status: Status) async throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let json = String(decoding: try encoder.encode(status), as: UTF8.self)
        _ = try await stores.redis.send([
            "SET", RedisArgument(stores.redisKeys.workerHeartbeat(workerID: status.workerId)), RedisArgument(json),
            "PX", RedisArgument(Int(Self.timeToLive.components.seconds * 1000)),
        ])
    }

    /// Removes a stopping worker's heartbeat.
    public func stop(workerId: String) async throws {
        _ = try await stores.redis.send(["DEL", RedisArgument(stores.redisKeys.workerHeartbeat(workerID: workerId))])
    }

    /// The workers whose heartbeat is alive.
    public func alive() async throws -> [Status] {
        var keys: [String] = []
        var cursor = "0"
        repeat {
            let reply = try await stores.redis.send([
                "SCAN", RedisArgument(cursor), "MATCH", RedisArgument(stores.redisKeys.workerHeartbeatPattern), "COUNT", "500",
            ])
            guard let parts = reply.array, parts.count == 2, let next = parts[0].string else { break }
            cursor = next
            keys += (parts[1].array ?? []).compactMap(\.string)
        } while cursor != "0"
        guard !keys.isEmpty else { return [] }
        let values = try await stores.redis.send(["MGET"] + keys.map { RedisArgument($0) })
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return (values.array ?? []).compactMap { $0.string.flatMap { try? decoder.decode(Status.self, from: Data($0.utf8)) } }
    }
}
