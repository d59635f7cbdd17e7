import Foundation
import Logging
import PostgresNIO

/// Enrollments in PostgreSQL: a lead enters a sequence (with the snapshot of its current
/// definition, at most one active enrollment per lead and sequence, the sequence's re-entry
/// policy applied in the same statement) and leaves it. Every change is audited.
public struct SequenceEnrollmentStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// A store over `client`.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    static let columns = """
        e.id, e.tenant_id, e.sequence_id, e.lead_id, e.sequence_version, e.status, e.exit_reason, e.next_step, \(nextDue),
        e.enrolled_at, e.ended_at, e.enrolled_by
        """

    /// When enrollment `e`'s next step goes, as operators are shown it: the time it was scheduled
    /// for (`next_due_at`, which expiry counts from), or later when a check before the send put its
    /// delivery off (a closed window, the sales rules' cap, a CRM wait).
    static let nextDue = """
        coalesce((SELECT greatest(e.next_due_at, d.next_attempt_at) FROM deliveries d
                  WHERE d.enrollment_id = e.id AND d.step_index = e.next_step AND d.status IN ('scheduled', 'retrying')), e.next_due_at)
        """

    func decode(_ rows: PostgresRowSequence) async throws -> [SequenceEnrollment] {
        var enrollments: [SequenceEnrollment] = []
        for try await row in rows {
            let (id, tenantId, sequenceId, leadId, version, status, reason, nextStep, due, enrolled, ended, by) = try row.decode(
                (Int64, UUID, UUID, Int64, Int, String, String?, Int, Date?, Date, Date?, String).self
            )
            enrollments.append(
                SequenceEnrollment(
                    id: id,
                    tenantId: tenantId,
                    sequenceId: sequenceId,
                    leadId: leadId,
                    sequenceVersion: version,
                    status: status,
                    exitReason: reason,
                    nextStep: nextStep,
                    nextDueAt: due,
                    enrolledAt: enrolled,
                    endedAt: ended,
                    enrolledBy: by
                )
            )
        }
        return enrollments
    }

    /// Enrolls lead `leadId` (of the sequence's tenant) in `sequence`, as `actor`.
    ///
    /// - Throws: ``StoreError/notFound(kind:reference:)`` when the lead is not the sequence's tenant's.
    public func enroll(leadId: Int64, in sequence: FollowUpSequence, actor: String) async throws -> SequenceEnrollmentResult {
        guard sequence.enabled else { return .sequenceDisabled }
        let reentry = (try? sequence.definition().reentry) ?? .never
        let inserted = try await decode(
            client.query(
                """
                INSERT INTO sequence_enrollments AS e (tenant_id, sequence_id, lead_id, sequence_version, snapshot, enrolled_by)
                SELECT l.tenant_id, q.id, l.id, q.version, q.definition, \(actor)
                FROM leads l JOIN sequences q ON q.id = \(sequence.id) AND q.tenant_id = l.tenant_id
                WHERE l.id = \(leadId)
                  AND NOT EXISTS (
                      SELECT 1 FROM sequence_enrollments p WHERE p.sequence_id = q.id AND p.lead_id = l.id
                        AND (p.status = 'active' OR \(reentry == .never)))
                ON CONFLICT DO NOTHING
                RETURNING \(unescaped: Self.columns)
                """,
                logger: logger
            )
        )
        if let enrollment = inserted.first {
            try await audit(enrollment, action: "sequence.enroll", actor: actor, details: ["version": String(enrollment.sequenceVersion)])
            return .enrolled(enrollment)
        }
        let previous = try await enrollments(leadId: leadId, sequenceId: sequence.id)
        if let active = previous.first(where: { $0.status == "active" }) { return .alreadyActive(active) }
        if let last = previous.last { return .reentryRefused(previous: last) }
        throw StoreError.notFound(kind: "lead", reference: "\(leadId) in the sequence's tenant")
    }

    /// Ends `leadId`'s active enrollment in `sequence` as exited with `reason`; nil when it had none.
    @discardableResult
    public func unenroll(leadId: Int64, from sequence: FollowUpSequence, reason: String, actor: String) async throws -> SequenceEnrollment? {
        let ended = try await decode(
            client.query(
                """
                UPDATE sequence_enrollments e SET status = 'exited', exit_reason = \(reason), ended_at = now(), needs_schedule = false
                WHERE e.sequence_id = \(sequence.id) AND e.lead_id = \(leadId) AND e.status = 'active'
                RETURNING \(unescaped: Self.columns)
                """,
                logger: logger
            )
        )
        guard let enrollment = ended.first else { return nil }
        try await audit(enrollment, action: "sequence.unenroll", actor: actor, details: ["reason": reason])
        return enrollment
    }

    /// The enrollments of `leadId`, oldest first (in `sequenceId` only, when given).
    public func enrollments(leadId: Int64, sequenceId: UUID? = nil) async throws -> [SequenceEnrollment] {
        try await decode(
            client.query(
                """
                SELECT \(unescaped: Self.columns) FROM sequence_enrollments e
                WHERE e.lead_id = \(leadId) AND (\(sequenceId)::uuid IS NULL OR e.sequence_id = \(sequenceId))
                ORDER BY e.enrolled_at, e.id
                """,
                logger: logger
            )
        )
    }

    private func audit(_ enrollment: SequenceEnrollment, action: String, actor: String, details: [String: String]) async throws {
        var all = details
        all["sequence_id"] = enrollment.sequenceId.uuidString.lowercased()
        all["lead_id"] = String(enrollment.leadId)
        try await AuditLog(client: client, logger: logger).record(
            actor: actor,
            tenantId: enrollment.tenantId,
            action: action,
            targetType: "sequence_enrollment",
            targetId: String(enrollment.id),
            details: JSONText.encode(all)
        )
    }
}
