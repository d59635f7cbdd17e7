import Foundation
import Logging
import PostgresNIO
import Shared

/// A polled source this worker holds the lease of, with the state its poll starts from.
struct SourcePollLease: Sendable {
    var sourceId: UUID
    /// Kind-specific progress (see migrations/0022).
    var cursor: [String: JSONValue]
    /// Consecutive failed polls before this one.
    var failures: Int
    /// Whether an operator accepted the sheet's current header.
    var acceptHeader: Bool
    /// When the lease was taken (the poll's start).
    var startedAt: Date
}

/// The `source_polls` leases: which worker polls which source. A lease lasts ``duration`` and is
/// renewed while a poll runs; a worker that dies loses its leases when they run out, and the
/// next worker whose poller looks takes the source over from where its last commit left it.
struct SourcePollLeases: Sendable {
    let postgres: PostgresClient
    let workerId: String
    let logger: Logger
    /// How long a lease lasts without renewal.
    var duration: Duration = .seconds(30)

    private var seconds: Double { Double(duration.components.seconds) }

    /// Takes the leases of up to `limit` enabled, due, unleased polled sources.
    func claimDue(limit: Int) async throws -> [SourcePollLease] {
        let rows = try await postgres.query(
            """
            UPDATE source_polls p SET lease_owner = \(workerId), lease_until = now() + make_interval(secs => \(seconds)),
                last_polled_at = now()
            FROM (SELECT sp.source_id FROM source_polls sp JOIN sources s ON s.id = sp.source_id
                  WHERE sp.next_poll_at <= now() AND (sp.lease_until IS NULL OR sp.lease_until < now())
                    AND s.enabled AND source_is_polled(s.kind, s.preset, s.config)
                  ORDER BY sp.next_poll_at LIMIT \(limit) FOR UPDATE OF sp SKIP LOCKED) due
            WHERE p.source_id = due.source_id
            RETURNING p.source_id, p.cursor::text, p.failures, p.accept_header, now()
            """,
            logger: logger
        )
        var leases: [SourcePollLease] = []
        for try await (id, cursorText, failures, acceptHeader, now) in rows.decode((UUID, String, Int, Bool, Date).self) {
            var cursor: [String: JSONValue] = [:]
            if case .object(let object)? = try? JSONValue.parse(cursorText) { cursor = object }
            leases.append(SourcePollLease(sourceId: id, cursor: cursor, failures: failures, acceptHeader: acceptHeader, startedAt: now))
        }
        return leases
    }

    /// Extends the lease of `sourceId`; false when this worker no longer holds it.
    func renew(_ sourceId: UUID) async throws -> Bool {
        let rows = try await postgres.query(
            """
            UPDATE source_polls SET lease_until = now() + make_interval(secs => \(seconds))
            WHERE source_id = \(sourceId) AND lease_owner = \(workerId) RETURNING 1
            """,
            logger: logger
        )
        var held = false
        for try await _ in rows { held = true }
        return held
    }

    /// Ends the poll of `lease`: stores its progress and state, records `run`, schedules the next
    /// poll `delay` from now (at once when the source's settings changed meanwhile), and frees
    /// the lease — only while this worker still holds it.
    func finish(_ lease: SourcePollLease, run: PollRunRecord, cursor: [String: JSONValue], delay: Duration) async throws {
        let delaySeconds = Double(delay.components.seconds)
        let errorReason = run.errorState
        let ok = run.outcome != .error
        let acceptedHeader = run.acceptedHeader
        try await postgres.withTransaction(logger: logger) { connection in
            let updated = try await connection.query(
                """
                UPDATE source_polls SET lease_owner = NULL, lease_until = NULL, cursor = \(JSONText.encode(cursor))::jsonb,
                    next_poll_at = CASE WHEN updated_at > \(lease.startedAt) THEN now()
                                        ELSE now() + make_interval(secs => \(delaySeconds)) END,
                    state = CASE WHEN \(errorReason)::text IS NULL THEN 'ok' ELSE 'error' END,
                    error_reason = \(errorReason)::text,
                    error_since = CASE WHEN \(errorReason)::text IS NULL THEN NULL ELSE coalesce(error_since, now()) END,
                    failures = CASE WHEN \(ok) THEN 0 ELSE failures + 1 END,
                    last_success_at = CASE WHEN \(ok) THEN now() ELSE last_success_at END,
                    accept_header = accept_header AND NOT \(acceptedHeader)
                WHERE source_id = \(lease.sourceId) AND lease_owner = \(workerId)
                RETURNING tenant_id
                """,
                logger: logger
            )
            var tenantId: UUID?
            for try await id in updated.decode(UUID.self) { tenantId = id }
            guard let tenantId else { return }
            try await connection.execute(run.insert(sourceId: lease.sourceId, tenantId: tenantId, workerId: workerId), logger: logger)
            try await connection.execute(
                "DELETE FROM poll_runs WHERE source_id = \(lease.sourceId) AND started_at < now() - interval '14 days'",
                logger: logger
            )
        }
    }
}
