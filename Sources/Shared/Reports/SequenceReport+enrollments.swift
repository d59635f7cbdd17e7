import Foundation
import PostgresNIO

extension SequenceReport {
    /// An enrollment with what the dashboard shows beside it: its sequence's name, the definition
    /// it runs (the snapshot it started with), the lead, and the deliveries of its steps.
    public struct EnrollmentLine: Sendable, Hashable {
        public var enrollment: SequenceEnrollment
        public var sequenceName: String
        /// The definition the enrollment started with; nil when the snapshot cannot be read.
        public var snapshot: SequenceDefinition?
        /// The lead's name, else its email or phone, else `Lead #id`.
        public var leadLabel: String
        /// The lead's phone (E.164 when it could be normalized): sales rules narrow a step's window by it.
        public var leadPhone: String?
        /// The deliveries of its steps, in step order, then its `on_reply` deliveries (negative
        /// indexes); empty unless asked for.
        public var steps: [StepDelivery]
    }

    /// The delivery that carries one step (or one `on_reply` action) of an enrollment.
    public struct StepDelivery: Sendable, Hashable {
        public var deliveryId: Int64
        /// The step's index (0-based); -1, -2, … for the `on_reply` deliveries.
        public var stepIndex: Int
        public var destinationName: String
        /// `scheduled`, `queued`, `succeeded`, `skipped`, `dead`, …
        public var status: String
        public var attempts: Int
        /// When it is due (a scheduled step) or retried.
        public var nextAttemptAt: Date?
        public var finishedAt: Date?
        public var updatedAt: Date
        /// Why it failed or was skipped.
        public var lastError: String?
    }

    /// The `limit` newest enrollments of `sequenceId`, newest first.
    public func recentEnrollments(sequenceId: UUID, limit: Int) async throws -> [EnrollmentLine] {
        let enrollments = try await SequenceEnrollmentStore(client: client, logger: logger).decode(
            client.query(
                """
                SELECT \(unescaped: SequenceEnrollmentStore.columns) FROM sequence_enrollments e
                WHERE e.sequence_id = \(sequenceId) ORDER BY e.enrolled_at DESC, e.id DESC LIMIT \(limit)
                """,
                logger: logger
            )
        )
        return try await lines(enrollments, withSteps: false)
    }

    /// The enrollments of lead `leadId` (within `tenantId` when given), oldest first, each with its
    /// step deliveries.
    public func enrollments(leadId: Int64, tenantId: UUID?) async throws -> [EnrollmentLine] {
        let enrollments = try await SequenceEnrollmentStore(client: client, logger: logger).decode(
            client.query(
                """
                SELECT \(unescaped: SequenceEnrollmentStore.columns) FROM sequence_enrollments e
                WHERE e.lead_id = \(leadId) AND (\(tenantId)::uuid IS NULL OR e.tenant_id = \(tenantId))
                ORDER BY e.enrolled_at, e.id
                """,
                logger: logger
            )
        )
        return try await lines(enrollments, withSteps: true)
    }

    /// `enrollments` with their sequence, snapshot and lead (and step deliveries when `withSteps`).
    private func lines(_ enrollments: [SequenceEnrollment], withSteps: Bool) async throws -> [EnrollmentLine] {
        let ids = enrollments.map(\.id)
        guard !ids.isEmpty else { return [] }
        struct Context {
            var sequenceName: String
            var snapshot: SequenceDefinition?
            var leadLabel: String?
            var leadPhone: String?
        }
        var contexts: [Int64: Context] = [:]
        let rows = try await client.query(
            """
            SELECT e.id, q.name, e.snapshot::text, l.first_name, l.last_name, l.email, l.phone, l.phone_raw
            FROM sequence_enrollments e JOIN sequences q ON q.id = e.sequence_id JOIN leads l ON l.id = e.lead_id
            WHERE e.id = ANY(\(ids)::bigint[])
            """,
            logger: logger
        )
        for try await (id, name, snapshot, first, last, email, phone, phoneRaw) in rows.decode(
            (Int64, String, String, String?, String?, String?, String?, String?).self
        ) {
            let fullName = [first, last].compactMap { $0 }.joined(separator: " ")
            contexts[id] = Context(
                sequenceName: name,
                snapshot: JSONText.decode(JSONValue.self, from: snapshot).flatMap {
                    try? SequenceDefinition(stored: $0)
                },
                leadLabel: [fullName, email, phone, phoneRaw].compactMap { $0 }.first { !$0.isEmpty },
                leadPhone: phone ?? phoneRaw
            )
        }
        let steps = withSteps ? try await stepDeliveries(enrollmentIds: ids) : [:]
        return enrollments.map { enrollment in
            let context = contexts[enrollment.id]
            return EnrollmentLine(
                enrollment: enrollment,
                sequenceName: context?.sequenceName ?? "",
                snapshot: context?.snapshot,
                leadLabel: context?.leadLabel ?? "Lead #\(enrollment.leadId)",
                leadPhone: context?.leadPhone,
                steps: steps[enrollment.id] ?? []
            )
        }
    }

    /// The step deliveries of `enrollmentIds`, by enrollment, steps in order then `on_reply`.
    private func stepDeliveries(enrollmentIds: [Int64]) async throws -> [Int64: [StepDelivery]] {
        let rows = try await client.query(
            """
            SELECT d.enrollment_id, d.id, d.step_index::int, coalesce(t.name, ''), d.status, d.attempts, d.next_attempt_at,
                   d.finished_at, d.updated_at, d.last_error
            FROM deliveries d LEFT JOIN destinations t ON t.id = d.destination_id
            WHERE d.enrollment_id = ANY(\(enrollmentIds)::bigint[])
            ORDER BY d.enrollment_id, (d.step_index < 0), abs(d.step_index)
            """,
            logger: logger
        )
        var steps: [Int64: [StepDelivery]] = [:]
        for try await (enrollmentId, id, index, destination, status, attempts, next, finished, updated, error) in rows.decode(
            (Int64, Int64, Int, String, String, Int, Date?, Date?, Date, String?).self
        ) {
            steps[enrollmentId, default: []].append(
                StepDelivery(
                    deliveryId: id,
                    stepIndex: index,
                    destinationName: destination,
                    status: status,
                    attempts: attempts,
                    nextAttemptAt: next,
                    finishedAt: finished,
                    updatedAt: updated,
                    lastError: error
                )
            )
        }
        return steps
    }
}
