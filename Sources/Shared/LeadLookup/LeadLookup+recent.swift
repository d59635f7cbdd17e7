import Foundation
import PostgresNIO

extension LeadLookup {
    /// The newest leads (within `tenantId` when given, in `stage` when given), received before
    /// lead `before` when given: the dashboard's lead list before anything is searched.
    public func recent(tenantId: UUID?, before: Int64? = nil, stage: LeadStage? = nil, limit: Int = 50) async throws -> [LeadSummary] {
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.summaryColumns)
            FROM leads l JOIN sources s ON s.id = l.source_id
            WHERE (\(tenantId)::uuid IS NULL OR l.tenant_id = \(tenantId)) AND (\(before)::bigint IS NULL OR l.id < \(before))
              AND (\(stage?.rawValue)::text IS NULL OR l.stage = \(stage?.rawValue))
            ORDER BY l.id DESC LIMIT \(max(1, limit))
            """,
            logger: logger
        )
        var summaries: [LeadSummary] = []
        for try await row in rows { summaries.append(try Self.summary(row.makeRandomAccess())) }
        return summaries
    }

    /// How many leads (within `tenantId` when given) are in each stage, every stage listed.
    public func stageCounts(tenantId: UUID?) async throws -> [(stage: LeadStage, count: Int)] {
        var counts: [String: Int] = [:]
        for try await (stage, count) in try await client.query(
            "SELECT stage, count(*)::int FROM leads WHERE (\(tenantId)::uuid IS NULL OR tenant_id = \(tenantId)) GROUP BY stage",
            logger: logger
        ).decode((String, Int).self) {
            counts[stage] = count
        }
        return LeadStage.allCases.map { ($0, counts[$0.rawValue] ?? 0) }
    }
}
