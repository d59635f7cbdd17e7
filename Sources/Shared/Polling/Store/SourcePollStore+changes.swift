import Foundation
import PostgresNIO

extension SourcePollStore {
    /// The edits made at the source to lead `leadId`'s record after it was accepted, newest first
    /// (at most `limit`); only a lead of `tenantId` when given.
    public func changes(leadId: Int64, tenantId: UUID?, limit: Int = 100) async throws -> [LeadSourceChange] {
        let rows = try await client.query(
            """
            SELECT c.id, c.source_id, c.at, c.location, c.before::text, c.after::text
            FROM lead_source_changes c JOIN leads l ON l.id = c.lead_id
            WHERE c.lead_id = \(leadId) AND (\(tenantId)::uuid IS NULL OR l.tenant_id = \(tenantId)::uuid)
            ORDER BY c.at DESC, c.id DESC LIMIT \(limit)
            """,
            logger: logger
        )
        var changes: [LeadSourceChange] = []
        for try await (id, sourceId, at, location, before, after) in rows.decode((Int64, UUID, Date, String, String, String).self) {
            changes.append(
                LeadSourceChange(
                    id: id,
                    leadId: leadId,
                    sourceId: sourceId,
                    at: at,
                    location: location,
                    before: JSONText.object(before),
                    after: JSONText.object(after)
                )
            )
        }
        return changes
    }
}
