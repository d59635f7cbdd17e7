import Foundation
import Logging
import PostgresNIO

/// The figures of the dashboard's overview page, for one tenant or (operators) all of them.
public struct DashboardOverview: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// Overview queries over `client`.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Lead and delivery counts.
    public struct Counts: Sendable, Hashable, Codable {
        public var leadsToday = 0
        public var leadsLast7Days = 0
        public var spamLast7Days = 0
        public var deliveredLast7Days = 0
        /// Deliveries not finished yet: pending, queued or processing.
        public var inFlight = 0
        public var retrying = 0
        public var dead = 0
    }

    /// Leads per day of one source (oldest day first).
    public struct SourceSeries: Sendable, Hashable, Codable {
        public var sourceName: String
        public var counts: [Int]

        /// A series.
        public init(sourceName: String, counts: [Int]) {
            self.sourceName = sourceName
            self.counts = counts
        }
    }

    /// Delivery outcomes of one destination over the window.
    public struct DestinationHealth: Sendable, Hashable, Codable {
        public var destinationId: UUID
        public var name: String
        public var kind: String
        public var dryRun: Bool
        public var enabled: Bool
        public var succeeded: Int
        public var dead: Int
        public var retrying: Int
        public var open: Int
        /// Succeeded ÷ finished (succeeded + dead), nil before anything finished.
        public var successRate: Double? { succeeded + dead == 0 ? nil : Double(succeeded) / Double(succeeded + dead) }
    }

    /// One recent failed attempt.
    public struct RecentError: Sendable, Hashable, Codable {
        public var at: Date
        public var deliveryId: Int64
        public var leadId: Int64
        public var destinationName: String
        public var httpStatus: Int?
        public var errorClass: String?
        public var message: String?
    }

    /// Counts for `tenantId` (all tenants when nil); "today" is the current day in `timeZone`.
    public func counts(tenantId: UUID?, timeZone: String = "UTC") async throws -> Counts {
        var counts = Counts()
        let leadRows = try await client.query(
            """
            SELECT count(*) FILTER (WHERE received_at >= date_trunc('day', now() AT TIME ZONE \(timeZone)) AT TIME ZONE \(timeZone) AND status = 'accepted'),
                   count(*) FILTER (WHERE status = 'accepted'), count(*) FILTER (WHERE status = 'spam')
            FROM leads WHERE received_at >= now() - interval '7 days' AND (\(tenantId)::uuid IS NULL OR tenant_id = \(tenantId))
            """,
            logger: logger
        )
        for try await (today, week, spam) in leadRows.decode((Int, Int, Int).self) {
            counts.leadsToday = today
            counts.leadsLast7Days = week
            counts.spamLast7Days = spam
        }
        let deliveryRows = try await client.query(
            """
            SELECT count(*) FILTER (WHERE status = 'succeeded' AND updated_at >= now() - interval '7 days'),
                   count(*) FILTER (WHERE status IN ('pending', 'queued', 'processing')),
                   count(*) FILTER (WHERE status = 'retrying'), count(*) FILTER (WHERE status = 'dead')
            FROM deliveries
            WHERE (\(tenantId)::uuid IS NULL OR tenant_id = \(tenantId))
              AND (status NOT IN ('succeeded', 'skipped') OR updated_at >= now() - interval '7 days')
            """,
            logger: logger
        )
        for try await (delivered, open, retrying, dead) in deliveryRows.decode((Int, Int, Int, Int).self) {
            counts.deliveredLast7Days = delivered
            counts.inFlight = open
            counts.retrying = retrying
            counts.dead = dead
        }
        return counts
    }

    /// Accepted leads per source per day over the last `days` days (today included), in `timeZone`.
    public func leadsPerSource(tenantId: UUID?, days: Int, timeZone: String = "UTC") async throws -> [SourceSeries] {
        let rows = try await client.query(
            """
            WITH counted AS (
                SELECT s.name AS source_name,
                       (date_trunc('day', now() AT TIME ZONE \(timeZone))::date - (l.received_at AT TIME ZONE \(timeZone))::date) AS age,
                       count(*) AS n
                FROM leads l JOIN sources s ON s.id = l.source_id
                WHERE l.received_at >= (date_trunc('day', now() AT TIME ZONE \(timeZone)) - make_interval(days => \(days - 1)::int)) AT TIME ZONE \(timeZone)
                  AND l.status = 'accepted' AND (\(tenantId)::uuid IS NULL OR l.tenant_id = \(tenantId))
                GROUP BY 1, 2
            )
            SELECT source_name, age, n::bigint FROM counted ORDER BY source_name
            """,
            logger: logger
        )
        var bySource: [String: [Int]] = [:]
        for try await (name, age, count) in rows.decode((String, Int, Int).self) {
            var series = bySource[name] ?? Array(repeating: 0, count: days)
            let index = days - 1 - age
            if series.indices.contains(index) { series[index] += count }
            bySource[name] = series
        }
        return bySource.map { SourceSeries(sourceName: $0.key, counts: $0.value) }
            .sorted { ($0.counts.reduce(0, +), $1.sourceName) > ($1.counts.reduce(0, +), $0.sourceName) }
    }

    /// Outcomes per destination of deliveries updated in the last `days` days (open ones whatever their age).
    public func destinationHealth(tenantId: UUID?, days: Int = 7) async throws -> [DestinationHealth] {
        let rows = try await client.query(
            """
            SELECT dest.id, dest.name, dest.kind, dest.dry_run, dest.enabled,
                   count(d.id) FILTER (WHERE d.status = 'succeeded'), count(d.id) FILTER (WHERE d.status = 'dead'),
                   count(d.id) FILTER (WHERE d.status = 'retrying'),
                   count(d.id) FILTER (WHERE d.status IN ('pending', 'queued', 'processing'))
            FROM destinations dest
            LEFT JOIN deliveries d ON d.destination_id = dest.id
                 AND (d.status NOT IN ('succeeded', 'dead', 'skipped') OR d.updated_at >= now() - make_interval(days => \(days)::int))
            WHERE (\(tenantId)::uuid IS NULL OR dest.tenant_id = \(tenantId))
            GROUP BY dest.id ORDER BY dest.name
            """,
            logger: logger
        )
        var result: [DestinationHealth] = []
        for try await (id, name, kind, dryRun, enabled, succeeded, dead, retrying, open) in rows.decode(
            (UUID, String, String, Bool, Bool, Int, Int, Int, Int).self
        ) {
            result.append(
                DestinationHealth(
                    destinationId: id,
                    name: name,
                    kind: kind,
                    dryRun: dryRun,
                    enabled: enabled,
                    succeeded: succeeded,
                    dead: dead,
                    retrying: retrying,
                    open: open
                )
            )
        }
        return result
    }

    /// The latest failed attempts, newest first.
    public func recentErrors(tenantId: UUID?, limit: Int = 10) async throws -> [RecentError] {
        let rows = try await client.query(
            """
            SELECT a.started_at, d.id, d.lead_id, dest.name, a.http_status, a.error_class, a.error_message
            FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id JOIN destinations dest ON dest.id = d.destination_id
            WHERE a.outcome <> 'succeeded' AND a.started_at >= now() - interval '7 days'
              AND (\(tenantId)::uuid IS NULL OR d.tenant_id = \(tenantId))
            ORDER BY a.started_at DESC LIMIT \(limit)
            """,
            logger: logger
        )
        var errors: [RecentError] = []
        for try await (at, deliveryId, leadId, destination, status, errorClass, message) in rows.decode(
            (Date, Int64, Int64, String, Int?, String?, String?).self
        ) {
            errors.append(
                RecentError(
                    at: at,
                    deliveryId: deliveryId,
                    leadId: leadId,
                    destinationName: destination,
                    httpStatus: status,
                    errorClass: errorClass,
                    message: message
                )
            )
        }
        return errors
    }
}
