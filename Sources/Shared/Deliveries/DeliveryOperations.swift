import Foundation
import Logging
import PostgresNIO

/// What operators do with deliveries: list them by status/destination/source/date and retry dead
/// or retrying ones (one, a list, or all matching a filter), each retry recorded in the audit log.
public struct DeliveryOperations: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// Operations over `client`.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    static let columns = """
        d.id, d.tenant_id, d.lead_id, d.destination_id, dest.name, s.name, d.status, d.attempts, d.next_attempt_at, d.external_id,
        d.last_http_status, d.last_error_class, d.last_error, d.created_at, d.updated_at
        """

    /// Deliveries matching `filter`, newest first.
    public func list(_ filter: DeliveryFilter, limit: Int = 100) async throws -> [DeliveryRecord] {
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.columns)
            FROM deliveries d JOIN destinations dest ON dest.id = d.destination_id
                 JOIN leads l ON l.id = d.lead_id JOIN sources s ON s.id = l.source_id
            WHERE (\(filter.tenantId)::uuid IS NULL OR d.tenant_id = \(filter.tenantId))
              AND (\(filter.status)::text IS NULL OR d.status = \(filter.status))
              AND (\(filter.destinationId)::uuid IS NULL OR d.destination_id = \(filter.destinationId))
              AND (\(filter.sourceId)::uuid IS NULL OR l.source_id = \(filter.sourceId))
              AND (\(filter.since)::timestamptz IS NULL OR d.updated_at >= \(filter.since))
              AND (\(filter.ids)::bigint[] IS NULL OR d.id = ANY(\(filter.ids)::bigint[]))
            ORDER BY d.updated_at DESC, d.id DESC LIMIT \(limit)
            """,
            logger: logger
        )
        var records: [DeliveryRecord] = []
        for try await row in rows {
            let (
                id, tenantId, leadId, destinationId, destinationName, sourceName, status, attempts, next, externalId, http, errorClass, error,
                created, updated
            ) =
                try row.decode((Int64, UUID, Int64, UUID, String, String, String, Int, Date?, String?, Int?, String?, String?, Date, Date).self)
            records.append(
                DeliveryRecord(
                    id: id,
                    tenantId: tenantId,
                    leadId: leadId,
                    destinationId: destinationId,
                    destinationName: destinationName,
                    sourceName: sourceName,
                    status: status,
                    attempts: attempts,
                    nextAttemptAt: next,
                    externalId: externalId,
                    lastHTTPStatus: http,
                    lastErrorClass: errorClass,
                    lastError: error,
                    createdAt: created,
                    updatedAt: updated
                )
            )
        }
        return records
    }

    /// Puts the `dead` or `retrying` deliveries matching `filter` back in the queue with a fresh
    /// attempt budget (earlier attempts stay in the log), records the retry in the audit log as
    /// `actor` (and `userId`, for dashboard users), and returns their ids for enqueueing.
    /// `skipped` deliveries are retried only when asked for by status or by id (a lead that has
    /// opted in again, a phone corrected): "retry everything" never sends to them.
    /// `dryRun` only counts.
    public func retry(_ filter: DeliveryFilter, actor: String, userId: UUID? = nil, dryRun: Bool = false) async throws -> [Int64] {
        let status = filter.status
        guard status.map({ DeliveryStatus(rawValue: $0)?.canBeRetried == true }) ?? true else {
            throw StoreError.invalid(field: "status", message: "only dead, retrying or skipped deliveries can be retried")
        }
        if dryRun {
            var ids: [Int64] = []
            for try await id in try await client.query(selectRetryable(filter), logger: logger).decode(Int64.self) { ids.append(id) }
            return ids
        }
        return try await client.withTransaction(logger: logger) { connection in
            var candidates: [Int64] = []
            for try await id in try await connection.query(selectRetryable(filter), logger: logger).decode(Int64.self) { candidates.append(id) }
            var ids: [Int64] = []
            let rows = try await connection.query(
                """
                UPDATE deliveries SET status = 'queued', attempts = 0, next_attempt_at = NULL, finished_at = NULL,
                                      claimed_by = NULL, claimed_at = NULL, updated_at = now()
                WHERE id = ANY(\(candidates)::bigint[]) AND status IN ('dead', 'retrying', 'skipped')
                RETURNING id
                """,
                logger: logger
            )
            for try await id in rows.decode(Int64.self) { ids.append(id) }
            if !ids.isEmpty {
                let details = JSONText.encode(["count": ids.count])
                try await connection.execute(
                    """
                    INSERT INTO audit_log (actor, user_id, tenant_id, action, target_type, target_id, details)
                    VALUES (\(actor), \(userId), \(filter.tenantId), 'deliveries.retry', 'deliveries',
                            \(ids.count == 1 ? String(ids[0]) : "\(ids.count) deliveries"),
                            (\(details)::jsonb || jsonb_build_object('ids', to_jsonb(\(Array(ids.prefix(1_000)))::bigint[]))))
                    """,
                    logger: logger
                )
            }
            return ids
        }
    }

    private func selectRetryable(_ filter: DeliveryFilter) -> PostgresQuery {
        """
        SELECT d.id FROM deliveries d JOIN leads l ON l.id = d.lead_id
        WHERE (d.status IN ('dead', 'retrying')
               OR (d.status = 'skipped' AND (\(filter.status)::text = 'skipped' OR \(filter.ids)::bigint[] IS NOT NULL)))
          AND (\(filter.status)::text IS NULL OR d.status = \(filter.status))
          AND (\(filter.tenantId)::uuid IS NULL OR d.tenant_id = \(filter.tenantId))
          AND (\(filter.destinationId)::uuid IS NULL OR d.destination_id = \(filter.destinationId))
          AND (\(filter.sourceId)::uuid IS NULL OR l.source_id = \(filter.sourceId))
          AND (\(filter.since)::timestamptz IS NULL OR d.updated_at >= \(filter.since))
          AND (\(filter.ids)::bigint[] IS NULL OR d.id = ANY(\(filter.ids)::bigint[]))
        """
    }
}
