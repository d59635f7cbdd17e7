import Foundation
import PostgresNIO

extension LeadLookup {
    /// The newest leads (within `tenantId` when given), received before lead `before` when given:
    /// the dashboard's lead list before anything is searched.
    public func recent(tenantId: UUID?, before: Int64? = nil, limit: Int = 50) async throws -> [LeadSummary] {
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.summaryColumns)
            FROM leads l JOIN sources s ON s.id = l.source_id
            WHERE (\(tenantId)::uuid IS NULL OR l.tenant_id = \(tenantId)) AND (\(before)::bigint IS NULL OR l.id < \(before))
            ORDER BY l.id DESC LIMIT \(max(1, limit))
            """,
            logger: logger
        )
        var summaries: [LeadSummary] = []
        for try await row in rows { summaries.append(try Self.summary(row.makeRandomAccess())) }
        return summaries
    }
}
