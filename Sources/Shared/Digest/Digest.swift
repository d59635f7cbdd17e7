import Foundation
import Logging
import PostgresNIO

/// The per-source digest: new leads, accepted/duplicate/spam counts, deliveries succeeded/dead/
/// retrying and the top three error reasons over a window (`leadctl digest`); see ``DigestMailer``
/// for sending it.
public struct Digest: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// Digests over `client`.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The activity since `since` of every enabled source (and every disabled one that had leads),
    /// of `tenantId` when given.
    public func build(since: Date, tenantId: UUID?, now: Date = Date()) async throws -> DigestReport {
        var sources = try await self.sources(since: since, tenantId: tenantId)
        var index: [UUID: Int] = [:]
        for (position, source) in sources.enumerated() { index[source.sourceId] = position }
        for try await (sourceId, total, accepted, spam) in try await client.query(
            """
            SELECT source_id, count(*)::int, (count(*) FILTER (WHERE status = 'accepted'))::int, (count(*) FILTER (WHERE status = 'spam'))::int
            FROM leads WHERE received_at >= \(since) AND (\(tenantId)::uuid IS NULL OR tenant_id = \(tenantId))
            GROUP BY source_id
            """,
            logger: logger
        ).decode((UUID, Int, Int, Int).self) {
            guard let position = index[sourceId] else { continue }
            sources[position].newLeads = total
            sources[position].accepted = accepted
            sources[position].spam = spam
        }
        for try await (sourceId, duplicates) in try await client.query(
            """
            SELECT source_id, sum(n)::int FROM (
                SELECT source_id, count(*) AS n FROM inbound_events
                WHERE outcome = 'duplicate' AND received_at >= \(since) AND (\(tenantId)::uuid IS NULL OR tenant_id = \(tenantId))
                GROUP BY source_id
                UNION ALL
                SELECT source_id, sum(duplicates) FROM imports
                WHERE created_at >= \(since) AND (\(tenantId)::uuid IS NULL OR tenant_id = \(tenantId))
                GROUP BY source_id) d
            WHERE source_id IS NOT NULL GROUP BY source_id
            """,
            logger: logger
        ).decode((UUID, Int).self) {
            if let position = index[sourceId] { sources[position].duplicates = duplicates }
        }
        for try await (sourceId, status, count) in try await client.query(
            """
            SELECT l.source_id, d.status, count(*)::int FROM deliveries d JOIN leads l ON l.id = d.lead_id
            WHERE d.updated_at >= \(since) AND d.status IN ('succeeded', 'dead', 'retrying')
              AND (\(tenantId)::uuid IS NULL OR d.tenant_id = \(tenantId))
            GROUP BY l.source_id, d.status
            """,
            logger: logger
        ).decode((UUID, String, Int).self) {
            guard let position = index[sourceId] else { continue }
            switch status {
            case "succeeded": sources[position].succeeded = count
            case "dead": sources[position].dead = count
            default: sources[position].retrying = count
            }
        }
        for try await (sourceId, reason, count) in try await client.query(
            """
            SELECT source_id, reason, n FROM (
                SELECT l.source_id, left(coalesce(a.error_message, a.error_class, 'HTTP ' || a.http_status, a.outcome), 200) AS reason,
                       count(*)::int AS n,
                       row_number() OVER (PARTITION BY l.source_id ORDER BY count(*) DESC,
                                          left(coalesce(a.error_message, a.error_class, 'HTTP ' || a.http_status, a.outcome), 200)) AS rank
                FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id JOIN leads l ON l.id = d.lead_id
                WHERE a.started_at >= \(since) AND a.outcome <> 'succeeded'
                  AND (\(tenantId)::uuid IS NULL OR d.tenant_id = \(tenantId))
                GROUP BY l.source_id, 2) ranked
            WHERE rank <= 3 ORDER BY source_id, rank
            """,
            logger: logger
        ).decode((UUID, String, Int).self) {
            if let position = index[sourceId] { sources[position].topErrors.append(DigestErrorCount(reason: reason, count: count)) }
        }
        return DigestReport(since: since, until: now, sources: sources)
    }

    /// The sources a digest covers, with zero counts.
    private func sources(since: Date, tenantId: UUID?) async throws -> [SourceDigest] {
        let rows = try await client.query(
            """
            SELECT s.id, s.name, t.id, t.name, coalesce(NULLIF(btrim(s.notification_email), ''), NULLIF(btrim(t.notification_email), ''))
            FROM sources s JOIN tenants t ON t.id = s.tenant_id
            WHERE (\(tenantId)::uuid IS NULL OR s.tenant_id = \(tenantId))
              AND (s.enabled OR EXISTS (SELECT 1 FROM leads l WHERE l.source_id = s.id AND l.received_at >= \(since)))
            ORDER BY t.name, t.id, s.name
            """,
            logger: logger
        )
        var sources: [SourceDigest] = []
        for try await (sourceId, sourceName, tenantId, tenantName, recipient) in rows.decode((UUID, String, UUID, String, String?).self) {
            sources.append(
                SourceDigest(
                    tenantId: tenantId,
                    tenantName: tenantName,
                    sourceId: sourceId,
                    sourceName: sourceName,
                    recipient: recipient,
                    newLeads: 0,
                    accepted: 0,
                    duplicates: 0,
                    spam: 0,
                    succeeded: 0,
                    dead: 0,
                    retrying: 0,
                    topErrors: []
                )
            )
        }
        return sources
    }
}
