import Foundation
import Logging
import PostgresNIO
import Shared

/// The worker's PostgreSQL side of the queue protocol: claim deliveries named by stream entries,
/// commit results with their attempt rows, and find work the queue lost.
struct WorkerDeliveryStore: Sendable {
    let client: PostgresClient
    let workerId: String
    /// A `processing` row whose claim is older than this belongs to a worker that vanished (a live
    /// worker finishes any delivery well within it: rate-limit wait + HTTP timeout + commit).
    let staleClaim: Duration
    let logger: Logger

    /// Claims the claimable deliveries among `entries` (delivery id → entry ids) and loads their
    /// leads. Rows already done, claimed by a live worker, or retrying but not yet due claim nothing.
    func claim(_ entries: [Int64: [String]]) async throws -> [ClaimedDelivery] {
        guard !entries.isEmpty else { return [] }
        let ids = Array(entries.keys)
        let rows = try await client.query("""
            WITH claimed AS (
                UPDATE deliveries d SET status = 'processing', claimed_by = \(workerId), claimed_at = now(), updated_at = now()
                WHERE d.id = ANY(\(ids)::bigint[])
                  AND (d.status IN ('pending', 'queued')
                       OR (d.status = 'retrying' AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= now() + interval '1 second'))
                       OR (d.status = 'processing' AND d.claimed_at < now() - make_interval(secs => \(staleClaim.seconds))))
                RETURNING d.id, d.lead_id, d.destination_id, d.attempts
            )
            SELECT c.id, c.destination_id, c.attempts, l.id, l.first_name, l.last_name, l.email, l.phone, l.phone_raw,
                   l.postal_code, l.notes, l.extra::text, l.external_id, s.name, l.received_at
            FROM claimed c JOIN leads l ON l.id = c.lead_id JOIN sources s ON s.id = l.source_id
            """, logger: logger)
        var claimed: [ClaimedDelivery] = []
        for try await row in rows {
            let (id, destinationId, attempts, leadId, first, last, email, phone, phoneRaw, postal, notes, extra, externalId, sourceName, received) =
                try row.decode((Int64, UUID, Int, Int64, String?, String?, String?, String?, String?, String?, String?, String, String?, String, Date).self)
            let lead = DeliveryLead(
                id: leadId, firstName: first, lastName: last, email: email, phone: phone, phoneRaw: phoneRaw, postalCode: postal,
                notes: notes, extra: (try? JSONDecoder().decode([String: JSONValue].self, from: Data(extra.utf8))) ?? [:],
                externalId: externalId, sourceName: sourceName, receivedAt: received)
            claimed.append(ClaimedDelivery(id: id, destinationId: destinationId, previousAttempts: attempts, lead: lead,
                                           entryIds: entries[id] ?? []))
        }
        return claimed
    }

    /// Renews `claimed_at` of the deliveries this worker is still working on.
    func refreshClaims(_ ids: [Int64]) async throws {
        guard !ids.isEmpty else { return }
        try await client.execute("""
            UPDATE deliveries SET claimed_at = now() WHERE id = ANY(\(ids)::bigint[]) AND claimed_by = \(workerId) AND status = 'processing'
            """, logger: logger)
    }

    /// Commits a batch of results in one statement: the delivery rows (only where this worker
    /// still holds the claim) and one attempt row per attempt made (always: it happened).
    func commit(_ results: [DeliveryResult]) async throws {
        guard !results.isEmpty else { return }
        var ids: [Int64] = [], statuses: [String] = [], attempts: [Int] = [], dueMillis: [Int64] = [], externalIds: [String] = []
        var httpStatuses: [Int] = [], errorClasses: [String] = [], errors: [String] = []
        var aIds: [Int64] = [], aNumbers: [Int] = [], aStarted: [Double] = [], aDurations: [Int] = [], aOutcomes: [String] = []
        var aStatuses: [Int] = [], aClasses: [String] = [], aMessages: [String] = [], aExcerpts: [String] = []
        for result in results {
            ids.append(result.delivery.id)
            statuses.append(result.status)
            attempts.append(result.attemptsAfter)
            if case .retrying(let due, _) = result.disposition {
                dueMillis.append(Int64(due.timeIntervalSince1970 * 1000))
            } else {
                dueMillis.append(0)
            }
            if case .succeeded(let externalId) = result.disposition { externalIds.append(externalId ?? "") } else { externalIds.append("") }
            httpStatuses.append(result.httpStatus ?? 0)
            errorClasses.append(result.errorClass ?? "")
            errors.append(result.error.map { String($0.prefix(1_000)) } ?? "")
            if let attempt = result.attempt {
                aIds.append(result.delivery.id)
                aNumbers.append(attempt.number)
                aStarted.append(attempt.startedAt.timeIntervalSince1970)
                aDurations.append(attempt.durationMilliseconds)
                aOutcomes.append(attempt.outcome)
                aStatuses.append(attempt.httpStatus ?? 0)
                aClasses.append(attempt.errorClass ?? "")
                aMessages.append(attempt.errorMessage.map { String($0.prefix(1_000)) } ?? "")
                aExcerpts.append(attempt.responseExcerpt.map { String($0.prefix(2_000)) } ?? "")
            }
        }
        try await client.execute("""
            WITH r AS (
                SELECT * FROM unnest(\(ids)::bigint[], \(statuses)::text[], \(attempts)::int[], \(dueMillis)::bigint[],
                                     \(externalIds)::text[], \(httpStatuses)::int[], \(errorClasses)::text[], \(errors)::text[])
                    AS r(id, status, attempts, due_ms, external_id, http_status, error_class, error)
            ), updated AS (
                UPDATE deliveries d SET
                    status = r.status, attempts = r.attempts,
                    next_attempt_at = CASE WHEN r.due_ms > 0 THEN to_timestamp(r.due_ms / 1000.0) END,
                    external_id = coalesce(NULLIF(r.external_id, ''), d.external_id),
                    last_http_status = coalesce(NULLIF(r.http_status, 0), CASE WHEN r.status = 'succeeded' THEN NULL ELSE d.last_http_status END),
                    last_error_class = CASE WHEN r.status = 'succeeded' THEN NULL ELSE coalesce(NULLIF(r.error_class, ''), d.last_error_class) END,
                    last_error = CASE WHEN r.status = 'succeeded' THEN NULL ELSE coalesce(NULLIF(r.error, ''), d.last_error) END,
                    claimed_by = NULL, claimed_at = NULL, updated_at = now(),
                    finished_at = CASE WHEN r.status IN ('succeeded', 'dead') THEN now() END
                FROM r WHERE d.id = r.id AND d.claimed_by = \(workerId) AND d.status = 'processing'
                RETURNING d.id
            )
            INSERT INTO delivery_attempts (delivery_id, attempt, worker_id, started_at, duration_ms, outcome, http_status,
                                           error_class, error_message, response_excerpt)
            SELECT a.id, a.n, \(workerId), to_timestamp(a.started), a.duration, a.outcome, NULLIF(a.status, 0),
                   NULLIF(a.class, ''), NULLIF(a.message, ''), NULLIF(a.excerpt, '')
            FROM unnest(\(aIds)::bigint[], \(aNumbers)::int[], \(aStarted)::float8[], \(aDurations)::int[], \(aOutcomes)::text[],
                        \(aStatuses)::int[], \(aClasses)::text[], \(aMessages)::text[], \(aExcerpts)::text[])
                AS a(id, n, started, duration, outcome, status, class, message, excerpt)
            """, logger: logger)
    }
}
