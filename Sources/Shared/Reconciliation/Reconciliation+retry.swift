import Foundation
import Logging
import PostgresNIO

extension Reconciliation {
    /// The `last_error_class` of a delivery the CRM turned out not to have.
    public static let missingErrorClass = "missing_in_crm"

    /// Queues the deliveries `report` found missing again, through the operators' retry path:
    /// each one still `succeeded` is marked `dead` ("not found in <CRM> by reconcile",
    /// audited as `deliveries.reconcile_missing`), then retried with
    /// ``DeliveryOperations/retry(_:actor:dryRun:)`` (fresh attempt budget, audited as
    /// `deliveries.retry`). Returns the ids queued; the caller enqueues them (else the sweeper does).
    public func retryMissing(_ report: ReconcileReport, actor: String) async throws -> [Int64] {
        let missing = report.missing.map(\.deliveryId)
        guard !missing.isEmpty else { return [] }
        let reason = "not found in \(report.crmName) by reconcile"
        let marked: (ids: [Int64], tenantId: UUID?) = try await client.withTransaction(logger: logger) { connection in
            var ids: [Int64] = []
            var tenantId: UUID?
            let rows = try await connection.query(
                """
                UPDATE deliveries SET status = 'dead', last_error_class = \(Self.missingErrorClass), last_error = \(reason),
                                      last_http_status = NULL, finished_at = now(), updated_at = now()
                WHERE id = ANY(\(missing)::bigint[]) AND destination_id = \(report.destinationId) AND status = 'succeeded'
                RETURNING id, tenant_id
                """,
                logger: logger
            )
            for try await (id, tenant) in rows.decode((Int64, UUID).self) {
                ids.append(id)
                tenantId = tenant
            }
            guard !ids.isEmpty else { return (ids, tenantId) }
            ids.sort()
            let details = JSONText.encode(["destination": report.destinationName, "reason": reason])
            try await connection.execute(
                """
                INSERT INTO audit_log (actor, tenant_id, action, target_type, target_id, details)
                VALUES (\(actor), \(tenantId), 'deliveries.reconcile_missing', 'destination', \(report.destinationId.uuidString),
                        (\(details)::jsonb || jsonb_build_object('count', \(ids.count), 'ids', to_jsonb(\(Array(ids.prefix(1_000)))::bigint[]))))
                """,
                logger: logger
            )
            return (ids, tenantId)
        }
        guard !marked.ids.isEmpty else { return [] }
        let filter = DeliveryFilter(tenantId: marked.tenantId, status: "dead", destinationId: report.destinationId, ids: marked.ids)
        return try await DeliveryOperations(client: client, logger: logger).retry(filter, actor: actor).sorted()
    }
}
