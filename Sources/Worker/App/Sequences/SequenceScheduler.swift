import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Shared

/// Schedules sequence steps: every ``DeliveryEngineTuning/sequenceScheduleEvery`` it takes the
/// enrollments whose next step is to be scheduled (`needs_schedule`, a partial index: waiting
/// enrollments cost nothing) and, in one transaction per batch, creates each step's delivery
/// `scheduled` at its due time (the previous step's time plus the delay, moved into the window in
/// the sequence's zone), or completes the enrollment after its last step. After the COMMIT it
/// hands the due times to the queue module (``DeliveryQueue/schedule(_:)``); the sweeper
/// reschedules from PostgreSQL what Redis loses. It also creates the `on_reply` deliveries of
/// enrollments whose lead replied. Every worker runs one; `FOR UPDATE SKIP LOCKED` shares the
/// work and the unique (enrollment, step) index makes a step's delivery exist once.
struct SequenceScheduler: Service {
    let stores: DataStores
    let queue: DeliveryQueue
    let startup: WorkerStartup
    let tuning: DeliveryEngineTuning
    let logger: Logger
    /// Enrollments scheduled per transaction.
    static let batchSize = 500

    func run() async {
        await startup.whenReady {
            while !Task.isCancelled {
                do {
                    var moved = 0
                    repeat {
                        moved = try await scheduleSteps()
                    } while moved == Self.batchSize && !Task.isCancelled
                    try await createReplyActions()
                } catch  where !Task.isCancelled {
                    logger.warning("sequence scheduling failed; trying again", metadata: ["error": "\(String(reflecting: error).prefix(300))"])
                } catch {
                    return
                }
                try? await Task.sleep(for: tuning.sequenceScheduleEvery)
            }
        }
    }

    /// One batch: schedules the next step of up to ``batchSize`` enrollments. Returns how many it took.
    @discardableResult
    func scheduleSteps() async throws -> Int {
        let (taken, scheduled) = try await stores.postgres.withTransaction(logger: logger) { connection in
            let pending = try await takePending(connection)
            guard !pending.isEmpty else { return (0, [(deliveryId: Int64, due: Date)]()) }
            let decisions = try await decide(pending, connection: connection)
            let created = try await apply(decisions, connection: connection)
            return (pending.count, created)
        }
        guard !scheduled.isEmpty else { return taken }
        do {
            try await queue.schedule(scheduled)
        } catch {
            // PostgreSQL holds the steps; the sweeper puts them back on the queue.
            logger.warning(
                "could not hand scheduled steps to the queue; the sweeper will",
                metadata: ["count": "\(scheduled.count)", "error": "\(error)"]
            )
        }
        return taken
    }

    /// An enrollment whose next step is to be scheduled.
    struct PendingEnrollment {
        var id: Int64
        var tenantId: UUID
        var leadId: Int64
        var snapshot: String
        var nextStep: Int
        var previousStepAt: Date
        var phone: String?
    }

    /// What happens to one enrollment.
    enum Decision {
        case deliver(PendingEnrollment, index: Int, destinationId: UUID, due: Date)
        case end(PendingEnrollment, status: String, reason: String?)
    }

    private func takePending(_ connection: PostgresConnection) async throws -> [PendingEnrollment] {
        let rows = try await connection.query(
            """
            SELECT e.id, e.tenant_id, e.lead_id, e.snapshot::text, e.next_step, coalesce(e.last_step_at, e.enrolled_at),
                   (SELECT l.phone FROM leads l WHERE l.id = e.lead_id)
            FROM sequence_enrollments e
            WHERE e.needs_schedule AND e.status = 'active'
            ORDER BY e.id LIMIT \(Self.batchSize)
            FOR UPDATE SKIP LOCKED
            """,
            logger: logger
        )
        var pending: [PendingEnrollment] = []
        for try await (id, tenant, lead, snapshot, next, previous, phone) in rows.decode((Int64, UUID, Int64, String, Int, Date, String?).self) {
            pending.append(
                PendingEnrollment(id: id, tenantId: tenant, leadId: lead, snapshot: snapshot, nextStep: next, previousStepAt: previous, phone: phone)
            )
        }
        return pending
    }

    private func decide(_ pending: [PendingEnrollment], connection: PostgresConnection) async throws -> [Decision] {
        var definitions: [String: Result<SequenceDefinition, SequenceDefinitionError>] = [:]
        var decisions: [Decision] = []
        for enrollment in pending {
            let definition: Result<SequenceDefinition, SequenceDefinitionError>
            if let known = definitions[enrollment.snapshot] {
                definition = known
            } else {
                definition = Self.parse(enrollment.snapshot)
                definitions[enrollment.snapshot] = definition
            }
            switch definition {
            case .failure(let error):
                decisions.append(.end(enrollment, status: "exited", reason: "invalid_definition: \(error)"))
            case .success(let definition):
                switch definition.plan(step: enrollment.nextStep, after: enrollment.previousStepAt, phone: enrollment.phone) {
                case .finished:
                    decisions.append(.end(enrollment, status: "completed", reason: nil))
                case .windowNeverOpens(let index):
                    decisions.append(.end(enrollment, status: "exited", reason: "window_never_opens: step \(index + 1)"))
                case .deliver(let index, let destinationId, let scheduled):
                    decisions.append(.deliver(enrollment, index: index, destinationId: destinationId, due: scheduled.due))
                }
            }
        }
        // A step whose destination was deleted cannot run: the enrollment ends, saying which.
        let wanted = Set(decisions.compactMap { if case .deliver(_, _, let id, _) = $0 { id } else { nil } })
        var existing: Set<UUID> = []
        if !wanted.isEmpty {
            let rows = try await connection.query("SELECT id FROM destinations WHERE id = ANY(\(Array(wanted))::uuid[])", logger: logger)
            for try await id in rows.decode(UUID.self) { existing.insert(id) }
        }
        return decisions.map { decision in
            if case .deliver(let enrollment, let index, let destinationId, _) = decision, !existing.contains(destinationId) {
                return .end(enrollment, status: "exited", reason: "destination_missing: step \(index + 1)")
            }
            return decision
        }
    }

    private static func parse(_ snapshot: String) -> Result<SequenceDefinition, SequenceDefinitionError> {
        do {
            return .success(try SequenceDefinition(storedText: snapshot))
        } catch {
            return .failure(error)
        }
    }

    /// Writes the decisions; returns the created step deliveries with their due times.
    private func apply(_ decisions: [Decision], connection: PostgresConnection) async throws -> [(deliveryId: Int64, due: Date)] {
        var enrollmentIds: [Int64] = []
        var tenantIds: [UUID] = []
        var leadIds: [Int64] = []
        var destinationIds: [UUID] = []
        var indexes: [Int] = []
        var dues: [Date] = []
        var endedIds: [Int64] = []
        var endedStatuses: [String] = []
        var endedReasons: [String] = []
        for decision in decisions {
            switch decision {
            case .deliver(let enrollment, let index, let destinationId, let due):
                enrollmentIds.append(enrollment.id)
                tenantIds.append(enrollment.tenantId)
                leadIds.append(enrollment.leadId)
                destinationIds.append(destinationId)
                indexes.append(index)
                dues.append(due)
            case .end(let enrollment, let status, let reason):
                endedIds.append(enrollment.id)
                endedStatuses.append(status)
                endedReasons.append(reason ?? "")
            }
        }
        var created: [(deliveryId: Int64, due: Date)] = []
        if !enrollmentIds.isEmpty {
            let rows = try await connection.query(
                """
                WITH s AS (
                    SELECT * FROM unnest(\(enrollmentIds)::bigint[], \(tenantIds)::uuid[], \(leadIds)::bigint[], \(destinationIds)::uuid[],
                                         \(indexes)::int[], \(dues)::timestamptz[])
                        AS s(enrollment_id, tenant_id, lead_id, destination_id, step_index, due)
                ), marked AS (
                    UPDATE sequence_enrollments e SET needs_schedule = false, next_due_at = s.due FROM s
                    WHERE e.id = ANY(\(enrollmentIds)::bigint[]) AND e.id = s.enrollment_id
                )
                INSERT INTO deliveries (tenant_id, lead_id, destination_id, status, next_attempt_at, enrollment_id, step_index)
                SELECT tenant_id, lead_id, destination_id, 'scheduled', due, enrollment_id, step_index FROM s
                ON CONFLICT (enrollment_id, step_index) WHERE enrollment_id IS NOT NULL DO NOTHING
                RETURNING id, next_attempt_at
                """,
                logger: logger
            )
            for try await (id, due) in rows.decode((Int64, Date).self) { created.append((id, due)) }
        }
        if !endedIds.isEmpty {
            try await connection.execute(
                """
                UPDATE sequence_enrollments e SET status = x.status, exit_reason = NULLIF(x.reason, ''), ended_at = now(),
                    needs_schedule = false, next_due_at = NULL
                FROM unnest(\(endedIds)::bigint[], \(endedStatuses)::text[], \(endedReasons)::text[]) AS x(id, status, reason)
                WHERE e.id = ANY(\(endedIds)::bigint[]) AND e.id = x.id AND e.status = 'active'
                """,
                logger: logger
            )
        }
        return created
    }

    /// Creates and enqueues the `on_reply` deliveries of enrollments whose lead replied (step
    /// indexes -1, -2, … in the order the sequence lists them; once per enrollment).
    func createReplyActions() async throws {
        let rows = try await stores.postgres.query(
            """
            WITH picked AS (
                SELECT id, tenant_id, lead_id, snapshot FROM sequence_enrollments WHERE reply_actions_pending
                ORDER BY id LIMIT 200 FOR UPDATE SKIP LOCKED
            ), cleared AS (
                UPDATE sequence_enrollments e SET reply_actions_pending = false
                WHERE e.id = ANY(ARRAY(SELECT id FROM picked))
            )
            INSERT INTO deliveries (tenant_id, lead_id, destination_id, status, enrollment_id, step_index)
            SELECT p.tenant_id, p.lead_id, d.id, 'queued', p.id, -a.ordinality::smallint
            FROM picked p
            CROSS JOIN LATERAL jsonb_array_elements(coalesce(p.snapshot -> 'on_reply', '[]'::jsonb)) WITH ORDINALITY AS a(value, ordinality)
            JOIN destinations d ON d.id = (a.value ->> 'destination_id')::uuid AND d.tenant_id = p.tenant_id
            ON CONFLICT (enrollment_id, step_index) WHERE enrollment_id IS NOT NULL DO NOTHING
            RETURNING id
            """,
            logger: logger
        )
        var ids: [Int64] = []
        for try await id in rows.decode(Int64.self) { ids.append(id) }
        guard !ids.isEmpty else { return }
        logger.info("created the on_reply deliveries of replied sequence enrollments", metadata: ["count": "\(ids.count)"])
        try await queue.enqueue(ids)
    }
}
