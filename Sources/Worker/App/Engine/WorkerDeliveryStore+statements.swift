import Foundation
import PostgresNIO
import Shared

// The worker runs these for every batch; prepared once per connection, so PostgreSQL stops
// parsing and planning them on every call (that was a third of its time per delivery).

extension WorkerDeliveryStore {
    /// Claims the claimable deliveries among `ids` for `workerId` and returns them with their leads.
    struct ClaimStatement: PostgresPreparedStatement {
        static let sql = """
            WITH claimed AS (
                -- A claim taken over from a vanished worker (still 'processing') may follow a call that
                -- went out: the window opens at that worker's claim (updated_at), unless it was open.
                UPDATE deliveries d SET status = 'processing', claimed_by = $1, claimed_at = now(), updated_at = now(),
                    maybe_sent_since = CASE WHEN d.status = 'processing' THEN coalesce(d.maybe_sent_since, d.updated_at)
                                            ELSE d.maybe_sent_since END
                WHERE d.id = ANY($2::bigint[])
                  AND (d.status IN ('pending', 'queued')
                       OR (d.status IN ('retrying', 'scheduled')
                           AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= now() + interval '1 second'))
                       OR (d.status = 'processing' AND d.claimed_at < now() - make_interval(secs => $3)))
                RETURNING d.id, d.lead_id, d.destination_id, d.attempts, d.maybe_sent_since, d.enrollment_id, d.step_index
            )
            SELECT c.id, c.destination_id, c.attempts, l.id, l.first_name, l.last_name, l.email, l.phone, l.phone_raw,
                   l.postal_code, l.notes, l.extra::text, l.external_id, s.name, l.received_at, t.name,
                   (SELECT max(m.created_at) FROM messages m
                    WHERE m.tenant_id = l.tenant_id AND m.channel = 'whatsapp' AND m.address = l.phone AND m.direction = 'in'),
                   c.maybe_sent_since, c.enrollment_id, c.step_index::int
            FROM claimed c JOIN leads l ON l.id = c.lead_id JOIN sources s ON s.id = l.source_id JOIN tenants t ON t.id = l.tenant_id
            """
        static let bindingDataTypes: [PostgresDataType] = [.text, .int8Array, .float8]
        typealias Row = (
            Int64, UUID, Int, Int64, String?, String?, String?, String?, String?, String?, String?, String, String?, String, Date, String, Date?,
            Date?, Int64?, Int?
        )

        var workerId: String
        var ids: [Int64]
        var staleClaimSeconds: Double

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 3)
            bindings.append(workerId)
            bindings.append(ids)
            bindings.append(staleClaimSeconds)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// Commits a batch of results: the delivery rows (only where `workerId` still holds the claim)
    /// and one attempt row per attempt made (once: committing the same batch again adds none).
    struct CommitStatement: PostgresPreparedStatement {
        static let sql = """
            WITH r AS (
                SELECT * FROM unnest($2::bigint[], $3::text[], $4::int[], $5::bigint[], $6::text[], $7::int[], $8::text[], $9::text[],
                                     $30::bigint[], $32::bigint[])
                    AS r(id, status, attempts, due_ms, external_id, http_status, error_class, error, maybe_sent_ms, step_at_ms)
            ), updated AS (
                UPDATE deliveries d SET
                    status = r.status, attempts = r.attempts,
                    next_attempt_at = CASE WHEN r.due_ms > 0 THEN to_timestamp(r.due_ms / 1000.0) END,
                    external_id = coalesce(NULLIF(r.external_id, ''), d.external_id),
                    last_http_status = coalesce(NULLIF(r.http_status, 0), CASE WHEN r.status = 'succeeded' THEN NULL ELSE d.last_http_status END),
                    last_error_class = CASE WHEN r.status = 'succeeded' THEN NULL ELSE coalesce(NULLIF(r.error_class, ''), d.last_error_class) END,
                    last_error = CASE WHEN r.status = 'succeeded' THEN NULL ELSE coalesce(NULLIF(r.error, ''), d.last_error) END,
                    claimed_by = NULL, claimed_at = NULL, updated_at = now(),
                    finished_at = CASE WHEN r.status IN ('succeeded', 'dead', 'skipped') THEN now() END,
                    maybe_sent_since = CASE WHEN r.maybe_sent_ms > 0 THEN to_timestamp(r.maybe_sent_ms / 1000.0) END
                FROM r WHERE d.id = r.id AND d.claimed_by = $1 AND d.status = 'processing'
                RETURNING d.id, d.tenant_id, d.lead_id, d.status, d.enrollment_id, d.step_index
            ), advanced AS (
                -- A sequence step that finished (sent, dead, or skipped for its channel) moves its
                -- enrollment on: the next step is scheduled from this step's time (the worker's clock).
                -- An enrollment that ended meanwhile, or a batch committed again, moves nothing.
                UPDATE sequence_enrollments e SET next_step = u.step_index + 1, needs_schedule = true, next_due_at = NULL,
                    last_step_at = CASE WHEN r.step_at_ms > 0 THEN to_timestamp(r.step_at_ms / 1000.0) ELSE now() END
                FROM updated u JOIN r ON r.id = u.id
                -- The ids as an array first: a primary-key lookup per step, never a join over every enrollment.
                WHERE e.id = ANY(ARRAY(SELECT enrollment_id FROM updated WHERE enrollment_id IS NOT NULL))
                  AND e.id = u.enrollment_id AND u.step_index >= 0 AND e.next_step = u.step_index AND e.status = 'active'
                  AND u.status IN ('succeeded', 'dead', 'skipped')
            ), sent AS (
                -- The conversation's outbound rows, where the claim held. A status notification that
                -- beat this commit (message_status_events) is folded in: delivered/read win over failed.
                INSERT INTO messages (tenant_id, lead_id, delivery_id, direction, channel, address, sender, provider_message_id,
                                      body, segments, status, status_rank, status_at)
                SELECT u.tenant_id, u.lead_id, m.id, 'out', m.channel, m.address, m.sender, NULLIF(m.provider_id, ''), m.body,
                       NULLIF(m.segments, 0)::smallint,
                       CASE WHEN m.dry_run THEN 'dry_run' ELSE coalesce(best.status, 'accepted') END,
                       CASE WHEN m.dry_run THEN 0 ELSE coalesce(best.status_rank, 1) END, now()
                FROM unnest($22::bigint[], $23::text[], $24::text[], $25::text[], $26::text[], $27::text[], $28::int[], $29::bool[])
                    AS m(id, channel, address, sender, provider_id, body, segments, dry_run)
                JOIN updated u ON u.id = m.id
                LEFT JOIN LATERAL (
                    SELECT e.status, e.status_rank FROM message_status_events e
                    WHERE e.channel = m.channel AND e.provider_message_id = m.provider_id
                    ORDER BY e.status IN ('delivered', 'read') DESC, e.status_rank DESC LIMIT 1
                ) best ON true
                -- The delivery's row already written (a batch committed again), or a provider id seen before.
                ON CONFLICT DO NOTHING
                RETURNING id, lead_id, status_rank > 0 AS accepted
            ), contacted AS (
                -- A message a provider accepted: the lead was contacted (new → contacted, never back).
                UPDATE leads l SET last_contacted_at = now(),
                    stage = CASE WHEN before.stage = 'new' THEN 'contacted' ELSE l.stage END,
                    stage_changed_at = CASE WHEN before.stage = 'new' THEN now() ELSE l.stage_changed_at END
                FROM (SELECT DISTINCT ON (s.lead_id) s.lead_id, s.id AS message_id, b.stage FROM sent s JOIN leads b ON b.id = s.lead_id
                      WHERE s.accepted ORDER BY s.lead_id, s.id) before
                WHERE l.id = before.lead_id
                RETURNING l.id, l.tenant_id, before.stage AS from_stage, before.message_id
            ), stage_logged AS (
                INSERT INTO lead_stage_changes (lead_id, tenant_id, from_stage, to_stage, cause, actor, message_id)
                SELECT id, tenant_id, from_stage, 'contacted', 'message_accepted', $1, message_id FROM contacted WHERE from_stage = 'new'
            )
            INSERT INTO delivery_attempts (delivery_id, attempt, worker_id, started_at, duration_ms, outcome, http_status,
                                           error_class, error_message, response_excerpt, message_segments, message_encoding,
                                           provider_message_id, possible_duplicate)
            SELECT a.id, a.n, $1, to_timestamp(a.started), a.duration, a.outcome, NULLIF(a.status, 0),
                   NULLIF(a.class, ''), NULLIF(a.message, ''), NULLIF(a.excerpt, ''), NULLIF(a.segments, 0)::smallint,
                   NULLIF(a.encoding, ''), NULLIF(a.provider_id, ''), NULLIF(a.possible_duplicate, '')::boolean
            FROM unnest($10::bigint[], $11::int[], $12::float8[], $13::int[], $14::text[], $15::int[], $16::text[], $17::text[], $18::text[],
                        $19::int[], $20::text[], $21::text[], $31::text[])
                AS a(id, n, started, duration, outcome, status, class, message, excerpt, segments, encoding, provider_id, possible_duplicate)
            -- A batch committed again because PostgreSQL died before answering the first COMMIT
            -- (ResultWriter retries while it is unreachable) must not log its attempts twice.
            WHERE NOT EXISTS (SELECT 1 FROM delivery_attempts x WHERE x.delivery_id = a.id AND x.attempt = a.n
                                AND x.worker_id = $1 AND x.started_at = to_timestamp(a.started))
            """
        static let bindingDataTypes: [PostgresDataType] = [
            .text,
            .int8Array, .textArray, .int8Array, .int8Array, .textArray, .int8Array, .textArray, .textArray,
            .int8Array, .int8Array, .float8Array, .int8Array, .textArray, .int8Array, .textArray, .textArray, .textArray,
            .int8Array, .textArray, .textArray,
            .int8Array, .textArray, .textArray, .textArray, .textArray, .textArray, .int8Array, .boolArray,
            .int8Array, .textArray, .int8Array,
        ]
        typealias Row = ()

        var workerId: String
        /// Per delivery: id, status, attempts after, due time (ms since 1970, 0 for none), external
        /// id, HTTP status (0 for none), error class, error.
        var ids: [Int64], statuses: [String], attempts: [Int], dueMillis: [Int64], externalIds: [String]
        var httpStatuses: [Int], errorClasses: [String], errors: [String]
        /// Per attempt made: delivery id, number, start (s since 1970), duration (ms), outcome,
        /// HTTP status (0 for none), error class, message, response excerpt.
        var attemptIds: [Int64], attemptNumbers: [Int], attemptStarts: [Double], attemptDurations: [Int], attemptOutcomes: [String]
        var attemptStatuses: [Int], attemptClasses: [String], attemptMessages: [String], attemptExcerpts: [String]
        /// Per attempt made, for messages: SMS segments (0 for none), their encoding and the
        /// provider's message id ("" for none).
        var attemptSegments: [Int], attemptEncodings: [String], attemptProviderIds: [String]
        /// Per message a provider accepted (or a dry run built): delivery id, channel, address,
        /// sender, provider id ("" for none), text, SMS segments (0 for none), whether a dry run.
        var messageIds: [Int64] = [], messageChannels: [String] = [], messageAddresses: [String] = [], messageSenders: [String] = []
        var messageProviderIds: [String] = [], messageBodies: [String] = [], messageSegments: [Int] = [], messageDryRuns: [Bool] = []
        /// Per delivery: `maybe_sent_since` after the result (ms since 1970, 0 for none). Per attempt
        /// made: `possible_duplicate` as `t`, `f` or "" for none.
        var maybeSentMillis: [Int64] = [], attemptPossibleDuplicates: [String] = []
        /// Per delivery: when a sequence step finished by the worker's clock (ms since 1970, 0 for
        /// none or for PostgreSQL's `now()`).
        var stepAtMillis: [Int64] = []

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 32)
            bindings.append(workerId)
            bindings.append(ids)
            bindings.append(statuses)
            bindings.append(attempts)
            bindings.append(dueMillis)
            bindings.append(externalIds)
            bindings.append(httpStatuses)
            bindings.append(errorClasses)
            bindings.append(errors)
            bindings.append(attemptIds)
            bindings.append(attemptNumbers)
            bindings.append(attemptStarts)
            bindings.append(attemptDurations)
            bindings.append(attemptOutcomes)
            bindings.append(attemptStatuses)
            bindings.append(attemptClasses)
            bindings.append(attemptMessages)
            bindings.append(attemptExcerpts)
            bindings.append(attemptSegments)
            bindings.append(attemptEncodings)
            bindings.append(attemptProviderIds)
            bindings.append(messageIds)
            bindings.append(messageChannels)
            bindings.append(messageAddresses)
            bindings.append(messageSenders)
            bindings.append(messageProviderIds)
            bindings.append(messageBodies)
            bindings.append(messageSegments)
            bindings.append(messageDryRuns)
            bindings.append(maybeSentMillis)
            bindings.append(attemptPossibleDuplicates)
            bindings.append(stepAtMillis)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { () }
    }
}
