import Foundation
import PostgresNIO

extension LeadLookup {
    /// The sequence enrollments of `leadIds`, oldest first.
    func enrollments(leadIds: [Int64]) async throws -> [Int64: [LeadEnrollment]] {
        guard !leadIds.isEmpty else { return [:] }
        let rows = try await client.query(
            """
            SELECT e.lead_id, e.id, q.name, e.sequence_version, e.status, e.exit_reason, e.next_step, e.next_due_at, e.enrolled_at,
                   e.ended_at
            FROM sequence_enrollments e JOIN sequences q ON q.id = e.sequence_id
            WHERE e.lead_id = ANY(\(leadIds)::bigint[])
            ORDER BY e.lead_id, e.enrolled_at, e.id
            """,
            logger: logger
        )
        var enrollments: [Int64: [LeadEnrollment]] = [:]
        for try await (leadId, id, name, version, status, reason, nextStep, due, enrolled, ended) in rows.decode(
            (Int64, Int64, String, Int, String, String?, Int, Date?, Date, Date?).self
        ) {
            enrollments[leadId, default: []].append(
                LeadEnrollment(
                    id: id,
                    sequence: name,
                    sequenceVersion: version,
                    status: status,
                    exitReason: reason,
                    nextStep: nextStep,
                    nextDueAt: due,
                    enrolledAt: enrolled,
                    endedAt: ended
                )
            )
        }
        return enrollments
    }
}
