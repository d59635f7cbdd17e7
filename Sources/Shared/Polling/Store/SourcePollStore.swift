import Foundation
import Logging
import PostgresNIO

/// The polling side of sources as operators see and drive it: a polled source's state and recent
/// polls, "poll now", and the source-side edits of a lead. The workers' pollers write what this
/// reads (`source_polls`, `poll_runs`, `lead_source_changes`).
public struct SourcePollStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// A store over `client`.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The polling state of source `sourceId` (within `tenantId` when given) with its newest
    /// `runs` polls; nil when the source does not poll, or is not there.
    public func status(sourceId: UUID, tenantId: UUID?, runs: Int = 10) async throws -> SourcePollStatus? {
        let rows = try await client.query(
            """
            SELECT sp.state, sp.error_reason, sp.error_since, sp.failures, sp.next_poll_at, sp.last_polled_at, sp.last_success_at,
                CASE WHEN sp.lease_until > now() THEN sp.lease_owner END, sp.accept_header
            FROM source_polls sp JOIN sources s ON s.id = sp.source_id
            WHERE sp.source_id = \(sourceId) AND (\(tenantId)::uuid IS NULL OR s.tenant_id = \(tenantId)::uuid)
                AND source_is_polled(s.kind, s.preset, s.config)
            """,
            logger: logger
        )
        for try await (state, reason, since, failures, next, polled, succeeded, holder, acceptHeader) in rows.decode(
            (String, String?, Date?, Int, Date, Date?, Date?, String?, Bool).self
        ) {
            return SourcePollStatus(
                sourceId: sourceId,
                state: SourcePollState(rawValue: state) ?? .error,
                errorReason: reason,
                errorSince: since,
                failures: failures,
                nextPollAt: next,
                lastPolledAt: polled,
                lastSuccessAt: succeeded,
                leaseHolder: holder,
                acceptHeaderPending: acceptHeader,
                runs: try await recentRuns(sourceId: sourceId, limit: runs)
            )
        }
        return nil
    }

    /// Makes source `sourceId` (within `tenantId` when given) due now, so a worker polls it within
    /// moments; with `acceptHeader`, that poll takes the sheet's current header as the expected one.
    /// Returns when it is due.
    ///
    /// - Throws: ``StoreError/notFound(kind:reference:)`` when there is no such source;
    ///   ``StoreError/invalid(field:message:)`` (field `source`) when it does not poll.
    @discardableResult
    public func pollNow(sourceId: UUID, tenantId: UUID?, acceptHeader: Bool = false) async throws -> Date {
        let rows = try await client.query(
            """
            WITH source AS (
                SELECT id, tenant_id, name, kind, preset, source_is_polled(kind, preset, config) AS polled FROM sources
                WHERE id = \(sourceId) AND (\(tenantId)::uuid IS NULL OR tenant_id = \(tenantId)::uuid)),
            due AS (
                INSERT INTO source_polls AS sp (source_id, tenant_id, accept_header)
                SELECT id, tenant_id, \(acceptHeader) FROM source WHERE polled
                ON CONFLICT (source_id) DO UPDATE
                    SET next_poll_at = now(), accept_header = sp.accept_header OR excluded.accept_header, updated_at = now()
                RETURNING next_poll_at)
            SELECT name, kind, preset, (SELECT next_poll_at FROM due) FROM source
            """,
            logger: logger
        )
        for try await (name, kind, preset, due) in rows.decode((String, String, String?, Date?).self) {
            guard let due else {
                let described = kind + (preset.map { "/\($0)" } ?? "")
                let hint = kind == SourceKind.webhook.rawValue ? "; a shopmonkey webhook source polls when its config has \"poll\"" : ""
                throw StoreError.invalid(field: "source", message: "'\(name)' does not poll (kind \(described)\(hint))")
            }
            return due
        }
        throw StoreError.notFound(kind: "source", reference: sourceId.uuidString.lowercased())
    }
}
