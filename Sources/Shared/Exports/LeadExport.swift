import Foundation
import Logging
import PostgresNIO

/// Which lead × delivery rows an export holds.
public struct LeadExportFilter: Sendable, Hashable {
    /// Which deliveries to export.
    public enum Status: String, Sendable, CaseIterable {
        /// Deliveries that reached their CRM.
        case succeeded
        /// Deliveries that gave up.
        case dead
        /// Every delivery, and leads without any (spam, sources without destinations).
        case all
    }

    public var status: Status
    /// Leads received at or after this.
    public var since: Date
    /// Only this tenant's leads (nil: all tenants).
    public var tenantId: UUID?
    /// Only this source's leads.
    public var sourceId: UUID?

    /// A filter; nil fields do not filter.
    public init(status: Status, since: Date, tenantId: UUID? = nil, sourceId: UUID? = nil) {
        self.status = status
        self.since = since
        self.tenantId = tenantId
        self.sourceId = sourceId
    }
}

/// Streams leads with their deliveries, one row per lead × delivery, in lead id then delivery id
/// order. Rows are read in batches by keyset pagination (never all at once), so an export of
/// millions of rows keeps memory flat.
public struct LeadExport: Sendable {
    let client: PostgresClient
    let logger: Logger
    /// Rows per query.
    public let batchSize: Int

    /// An export over `client`, reading `batchSize` rows per query.
    public init(client: PostgresClient, logger: Logger, batchSize: Int = 5_000) {
        self.client = client
        self.logger = logger
        self.batchSize = max(1, batchSize)
    }

    /// Calls `body` with each batch of rows matching `filter`, in order; returns the row count.
    @discardableResult
    public func forEachBatch(_ filter: LeadExportFilter, _ body: ([LeadExportRow]) async throws -> Void) async throws -> Int {
        var after = (lead: Int64(0), delivery: Int64(-1))
        var total = 0
        while true {
            let rows = try await batch(filter, afterLead: after.lead, afterDelivery: after.delivery)
            guard let last = rows.last else { break }
            try await body(rows)
            total += rows.count
            after = (last.leadId, last.deliveryId ?? 0)
            if rows.count < batchSize { break }
        }
        return total
    }

    /// Writes every row matching `filter` to `output` in `format` (header first); returns the row count.
    @discardableResult
    public func write(_ filter: LeadExportFilter, format: LeadExportFormat, to output: ExportOutput) async throws -> Int {
        try await output.write(format.header)
        return try await forEachBatch(filter) { rows in try await output.write(try format.encode(rows)) }
    }

    /// Up to ``batchSize`` rows after the (lead id, delivery id) position, a lead without deliveries counting as delivery 0.
    private func batch(_ filter: LeadExportFilter, afterLead: Int64, afterDelivery: Int64) async throws -> [LeadExportRow] {
        let status: String? = filter.status == .all ? nil : filter.status.rawValue
        let rows = try await client.query(
            """
            SELECT l.id, t.slug, s.name, l.received_at, l.status, l.stage, l.first_name, l.last_name, l.email, l.phone, l.phone_raw,
                   l.postal_code, l.external_id, d.id, dest.name, d.status, d.attempts, d.external_id, d.last_http_status,
                   d.last_error, d.finished_at, d.updated_at
            FROM leads l JOIN sources s ON s.id = l.source_id JOIN tenants t ON t.id = l.tenant_id
                 LEFT JOIN deliveries d ON d.lead_id = l.id LEFT JOIN destinations dest ON dest.id = d.destination_id
            WHERE l.received_at >= \(filter.since)
              AND (\(filter.tenantId)::uuid IS NULL OR l.tenant_id = \(filter.tenantId))
              AND (\(filter.sourceId)::uuid IS NULL OR l.source_id = \(filter.sourceId))
              AND (\(status)::text IS NULL OR d.status = \(status))
              AND l.id >= \(afterLead) AND (l.id > \(afterLead) OR coalesce(d.id, 0) > \(afterDelivery))
            ORDER BY l.id, coalesce(d.id, 0)
            LIMIT \(batchSize)
            """,
            logger: logger
        )
        var batch: [LeadExportRow] = []
        batch.reserveCapacity(batchSize)
        for try await (
            leadId, tenant, source, received, leadStatus, stage, first, last, email, phone, phoneRaw, postal, externalId,
            deliveryId, destination, deliveryStatus, attempts, crmId, http, error, finished, updated
        )
            in rows.decode(
                (
                    Int64, String, String, Date, String, String, String?, String?, String?, String?, String?, String?, String?,
                    Int64?, String?, String?, Int?, String?, Int?, String?, Date?, Date?
                ).self
            )
        {
            batch.append(
                LeadExportRow(
                    leadId: leadId,
                    tenant: tenant,
                    source: source,
                    receivedAt: received,
                    leadStatus: leadStatus,
                    stage: stage,
                    firstName: first,
                    lastName: last,
                    email: email,
                    phone: phone,
                    phoneRaw: phoneRaw,
                    postalCode: postal,
                    externalId: externalId,
                    deliveryId: deliveryId,
                    destination: destination,
                    deliveryStatus: deliveryStatus,
                    attempts: attempts,
                    crmId: crmId,
                    lastHTTPStatus: http,
                    lastError: error,
                    finishedAt: finished,
                    updatedAt: updated
                )
            )
        }
        return batch
    }
}
