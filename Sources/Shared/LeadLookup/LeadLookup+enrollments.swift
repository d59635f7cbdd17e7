import Foundation
import PostgresNIO

extension LeadLookup {
    /// The sequence enrollments of `leadIds`, oldest first.
    func enrollments(leadIds: [Int64]) async throws -> [Int64: [LeadEnrollment]] {
        guard !leadIds.isEmpty else { return [:] }
        let rows = try await client.query(
            """
            SELECT e.lead_id, e.id, q.name, e.sequence_version, e.status, e.exit_reason, e.next_step,
                   \(unescaped: SequenceEnrollmentStore.nextDue), e.enrolled_at,
                   e.ended_at, e.snapshot::text, l.phone
            FROM sequence_enrollments e JOIN sequences q ON q.id = e.sequence_id JOIN leads l ON l.id = e.lead_id
            WHERE e.lead_id = ANY(\(leadIds)::bigint[])
            ORDER BY e.lead_id, e.enrolled_at, e.id
            """,
            logger: logger
        )
        var enrollments: [Int64: [LeadEnrollment]] = [:]
        for try await (leadId, id, name, version, status, reason, nextStep, due, enrolled, ended, snapshot, phone) in rows.decode(
            (Int64, Int64, String, Int, String, String?, Int, Date?, Date, Date?, String, String?).self
        ) {
            var enrollment = LeadEnrollment(
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
            if status == "active" { enrollment.describeNextStep(snapshot: snapshot, phone: phone) }
            enrollments[leadId, default: []].append(enrollment)
        }
        return enrollments
    }
}

extension LeadEnrollment {
    /// Fills in the next step's destination, local due time and window from the enrollment's
    /// snapshot (a snapshot that does not read back leaves them empty).
    mutating func describeNextStep(snapshot: String, phone: String?) {
        guard let definition = try? SequenceDefinition(storedText: snapshot),
            definition.steps.indices.contains(nextStep)
        else { return }
        let step = definition.steps[nextStep]
        let window = definition.window(for: step, phone: phone)
        nextStepDestination = step.destinationName
        nextStepWindow = window.description
        nextDueLocal = nextDueAt.map { ScheduledStep.localText($0, in: window.timeZone) }
    }
}
