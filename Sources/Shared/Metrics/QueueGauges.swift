import Foundation
import Logging
import PostgresNIO

/// Reads the queue's state for `GET /metrics` and `leadctl status`: stream depth and consumer
/// lag, scheduled retries, deliveries by status, the oldest pending delivery's age, live workers.
public struct QueueGauges: Sendable {
    let stores: DataStores
    let logger: Logger

    /// Gauges over `stores`.
    public init(stores: DataStores, logger: Logger) {
        self.stores = stores
        self.logger = logger
    }

    /// A snapshot of the queue.
    public struct Snapshot: Sendable, Codable {
        public var streamLength: Int
        public var scheduledRetries: Int
        public var deliveriesByStatus: [String: Int]
        public var oldestOpenAgeSeconds: Double
        public var workersAlive: Int

        enum CodingKeys: String, CodingKey {
            case streamLength = "stream_length"
            case scheduledRetries = "scheduled_retries"
            case deliveriesByStatus = "deliveries_by_status"
            case oldestOpenAgeSeconds = "oldest_open_age_seconds"
            case workersAlive = "workers_alive"
        }
    }

    /// Reads the snapshot (Redis values are 0 when Redis is unreachable).
    public func snapshot() async throws -> Snapshot {
        var byStatus: [String: Int] = [:]
        for try await (status, count) in try await stores.postgres.query(
            "SELECT status, count(*)::int FROM deliveries WHERE status <> 'succeeded' GROUP BY status",
            logger: logger
        ).decode((String, Int).self) {
            byStatus[status] = count
        }
        var oldest = 0.0
        for try await age in try await stores.postgres.query(
            """
            SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 FROM deliveries
            WHERE status IN ('pending', 'queued', 'processing', 'retrying')
            """,
            logger: logger
        ).decode(Double.self) { oldest = age }
        let queue = DeliveryQueue(stores: stores, logger: logger)
        let lengths =
            (try? await withTimeout(.seconds(2), operation: "queue gauges") { try await queue.lengths() })
            ?? (streamEntries: 0, scheduled: 0)
        let workers = (try? await WorkerHeartbeats(stores: stores).alive().count) ?? 0
        return Snapshot(
            streamLength: lengths.streamEntries,
            scheduledRetries: lengths.scheduled,
            deliveriesByStatus: byStatus,
            oldestOpenAgeSeconds: oldest,
            workersAlive: workers
        )
    }

    /// Copies a snapshot into the metrics' gauges.
    public func publish(_ snapshot: Snapshot, to metrics: LeadRelayMetrics = .shared) {
        metrics.gauge("leadrelay_queue_stream_length", help: "Entries on the delivery stream", value: Double(snapshot.streamLength))
        metrics.gauge("leadrelay_queue_scheduled_retries", help: "Deliveries waiting in the retry set", value: Double(snapshot.scheduledRetries))
        metrics.gauge(
            "leadrelay_queue_oldest_open_age_seconds",
            help: "Age of the oldest delivery not yet finished",
            value: snapshot.oldestOpenAgeSeconds
        )
        metrics.gauge("leadrelay_workers_alive", help: "Worker processes with a live heartbeat", value: Double(snapshot.workersAlive))
        for status in DeliveryStatus.counted.map(\.rawValue) {
            metrics.gauge(
                "leadrelay_deliveries",
                help: "Deliveries by status (succeeded not counted)",
                value: Double(snapshot.deliveriesByStatus[status] ?? 0),
                labels: [("status", status)]
            )
        }
    }
}
