import Foundation
import Logging
import PostgresNIO
import Shared

/// Checks a sequence step immediately before it sends (``SequenceStepCheck``, then its
/// `only_if` CRM status), and ends the enrollment when a check says so. One query per step
/// delivery; fan-out deliveries never come here.
struct SequenceStepGate: Sendable {
    let client: PostgresClient
    let destinations: DestinationCache
    let destinationClient: DestinationClient
    /// The engine's clock (tests drive it).
    let now: @Sendable () -> Date
    let logger: Logger

    /// What the worker does with the step.
    enum Verdict: Sendable {
        case send
        /// Put off without an attempt until `until`.
        case wait(until: Date, reason: String)
        /// Skip the delivery (the enrollment ended, now or before).
        case skip(reason: String)
    }

    /// The verdict for `delivery` (a step of `step.enrollmentId`); `isMessage` says whether it
    /// messages the lead.
    func check(_ delivery: ClaimedDelivery, step: SequenceStepReference, isMessage: Bool) async -> Verdict {
        guard step.index >= 0 else { return .send }  // on_reply: sent whatever the enrollment's state
        let facts: SequenceStepFacts
        switch await checkEnrollment(step, isMessage: isMessage) {
        case .stop(let verdict): return verdict
        case .proceed(let loaded): facts = loaded
        }
        let definition = facts.definition
        if let check = definition.steps[step.index].onlyIfCRMStatus {
            let verdict = await checkCRMStatus(check, delivery: delivery, step: step)
            guard case .send = verdict else { return verdict }
            // The read took a round trip to the CRM: a reply, an opt-out or a stage change may have
            // landed meanwhile, and must still stop the step.
            if case .stop(let verdict) = await checkEnrollment(step, isMessage: isMessage) { return verdict }
        }
        guard isMessage, definition.salesRules, SalesJurisdiction.of(phone: facts.phone) != nil else { return .send }
        return await takeSalesSlot(delivery, window: definition.window(for: definition.steps[step.index], phone: facts.phone))
    }

    /// Reads the enrollment and runs ``SequenceStepCheck`` on it now: its facts when the step may
    /// go, else the verdict (the enrollment ended here when the check says so).
    private func checkEnrollment(_ step: SequenceStepReference, isMessage: Bool) async -> EnrollmentCheck {
        let facts: SequenceStepFacts
        do {
            guard let loaded = try await load(step) else { return .stop(.skip(reason: "the sequence enrollment no longer exists")) }
            facts = loaded
        } catch {
            return .stop(.wait(until: now().addingTimeInterval(5), reason: "the sequence enrollment could not be read: PostgreSQL unavailable"))
        }
        switch SequenceStepCheck.decide(facts, now: now(), isMessage: isMessage) {
        case .send: return .proceed(facts)
        case .wait(let until, let reason): return .stop(.wait(until: until, reason: reason))
        case .stale(let reason): return .stop(.skip(reason: "not sent: \(reason)"))
        case .end(let status, let reason): return .stop(await end(step, status: status, reason: reason))
        }
    }

    /// What ``checkEnrollment(_:isMessage:)`` found.
    private enum EnrollmentCheck {
        /// The step may go on to its next check, with the enrollment's facts.
        case proceed(SequenceStepFacts)
        /// The step does not go now: this verdict.
        case stop(Verdict)
    }

    /// Takes one of the lead's sales-message slots (3 per 24 hours) for `delivery`, under a lock on
    /// the lead's row: two steps of one lead claimed at once (two enrollments, two workers) cannot
    /// both pass a cap with one slot left. A slot is kept once taken (a retry reuses it).
    private func takeSalesSlot(_ delivery: ClaimedDelivery, window: SendWindow) async -> Verdict {
        let now = now()
        let lead = delivery.lead.id
        let logger = logger
        do {
            return try await client.withTransaction(logger: logger) { connection -> Verdict in
                for try await _ in try await connection.query("SELECT 1 FROM leads WHERE id = \(lead) FOR NO KEY UPDATE", logger: logger) {}
                let rows = try await connection.query(
                    """
                    SELECT sales_slot_at FROM deliveries
                    WHERE lead_id = \(lead) AND id <> \(delivery.id) AND sales_slot_at > \(now) - interval '24 hours'
                    UNION ALL
                    SELECT m.created_at FROM messages m JOIN deliveries x ON x.id = m.delivery_id
                    WHERE m.lead_id = \(lead) AND m.direction = 'out' AND x.step_index >= 0 AND x.sales_slot_at IS NULL
                      AND x.id <> \(delivery.id) AND m.created_at > \(now) - interval '24 hours'
                    """,
                    logger: logger
                )
                var recent: [Date] = []
                for try await time in rows.decode(Date.self) { recent.append(time) }
                if case .wait(let until, let reason) = SequenceStepCheck.salesCapWait(recent: recent, now: now, window: window) {
                    return .wait(until: until, reason: reason)
                }
                try await connection.query(
                    "UPDATE deliveries SET sales_slot_at = coalesce(sales_slot_at, \(now)) WHERE id = \(delivery.id)",
                    logger: logger
                )
                return .send
            }
        } catch {
            return .wait(until: now.addingTimeInterval(5), reason: "the sales-message cap could not be checked: PostgreSQL unavailable")
        }
    }

    /// Reads the lead's CRM status through the check's destination: the same label sends; another
    /// ends the enrollment ("human intervention"); a failed read waits or, when it cannot succeed,
    /// ends it.
    private func checkCRMStatus(_ check: SequenceStep.CRMStatusCheck, delivery: ClaimedDelivery, step: SequenceStepReference) async -> Verdict {
        let entry: DestinationCache.Entry?
        do {
            entry = try await destinations.entry(check.destinationId)
        } catch {
            return .wait(until: now().addingTimeInterval(30), reason: "the CRM status destination could not be loaded")
        }
        guard let entry else {
            return await end(step, status: "exited", reason: "crm_status_unreadable: destination \(check.destinationName) no longer exists")
        }
        if entry.destination.dryRun {
            logger.info(
                "dry run: the CRM status check of a sequence step is assumed to pass",
                metadata: ["delivery_id": "\(delivery.id)", "destination_id": .id(check.destinationId)]
            )
            return .send
        }
        switch await destinationClient.readCRMStatus(of: delivery.lead, at: entry.destination, secret: entry.secret) {
        case .label(let label) where label == check.label:
            return .send
        case .label(let label):
            let found = label.map { "\"\($0)\"" } ?? "no status"
            return await end(
                step,
                status: "exited",
                reason: "crm_status_changed: expected \"\(check.label)\", found \(found) (human intervention detected)"
            )
        case .failed(let outcome):
            if case .retryable = outcome {
                let wait = outcome.retryAfter?.seconds ?? 60
                return .wait(until: now().addingTimeInterval(max(1, wait)), reason: "the CRM status could not be read: \(outcome.reason ?? "")")
            }
            return await end(step, status: "exited", reason: "crm_status_unreadable: \(outcome.reason ?? "the read failed")")
        }
    }

    /// Ends the enrollment (if still active) and skips the step.
    private func end(_ step: SequenceStepReference, status: String, reason: String) async -> Verdict {
        do {
            try await client.execute(
                """
                UPDATE sequence_enrollments SET status = \(status), exit_reason = \(reason), ended_at = now(), needs_schedule = false
                WHERE id = \(step.enrollmentId) AND status = 'active'
                """,
                logger: logger
            )
        } catch {
            return .wait(until: now().addingTimeInterval(5), reason: "the sequence enrollment could not be ended: PostgreSQL unavailable")
        }
        logger.info(
            "sequence enrollment ended before a step",
            metadata: ["enrollment_id": "\(step.enrollmentId)", "step": "\(step.index + 1)", "status": "\(status)", "reason": "\(reason)"]
        )
        return .skip(reason: "not sent: the sequence enrollment ended (\(status): \(reason))")
    }

    /// The enrollment's facts for `step`; nil when it is gone.
    private func load(_ step: SequenceStepReference) async throws -> SequenceStepFacts? {
        let rows = try await client.query(
            """
            SELECT e.status, e.exit_reason, e.snapshot::text, e.next_step, e.next_due_at, e.enrolled_at, l.phone, l.last_reply_at,
                   EXISTS (SELECT 1 FROM lead_stage_changes c WHERE c.lead_id = e.lead_id AND c.cause = 'operator' AND c.at >= e.enrolled_at),
                   coalesce((SELECT array_agg(t.at ORDER BY t.at) FROM (
                               SELECT m.created_at AS at FROM messages m JOIN deliveries x ON x.id = m.delivery_id
                               WHERE m.lead_id = e.lead_id AND m.direction = 'out' AND x.step_index >= 0 AND x.sales_slot_at IS NULL
                                 AND m.created_at > now() - interval '24 hours'
                               UNION ALL
                               SELECT x.sales_slot_at FROM deliveries x
                               WHERE x.lead_id = e.lead_id AND x.sales_slot_at > now() - interval '24 hours'
                                 AND (x.enrollment_id, x.step_index) IS DISTINCT FROM (e.id, \(step.index))) t), '{}')
            FROM sequence_enrollments e JOIN leads l ON l.id = e.lead_id
            WHERE e.id = \(step.enrollmentId)
            """,
            logger: logger
        )
        for try await (status, reason, snapshot, nextStep, due, enrolled, phone, replied, stageChanged, recent) in rows.decode(
            (String, String?, String, Int, Date?, Date, String?, Date?, Bool, [Date]).self
        ) {
            let definition = try SequenceDefinition(storedText: snapshot)
            return SequenceStepFacts(
                status: status,
                exitReason: reason,
                definition: definition,
                nextStep: nextStep,
                stepIndex: step.index,
                dueAt: due,
                enrolledAt: enrolled,
                phone: phone,
                lastReplyAt: replied,
                operatorChangedStage: stageChanged,
                recentStepMessages: recent
            )
        }
        return nil
    }
}
