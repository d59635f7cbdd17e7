import Foundation
import PostgresNIO
import Shared
import TestSupport
import Testing
import WorkerApp

/// Helpers for polling tests: polled sources, forcing a poll, waiting for its run, reading leads.
extension WorkerTestHarness {
    /// Tuning that looks for due polls often.
    static var pollingTuning: DeliveryEngineTuning {
        var tuning = fastTuning
        tuning.pollCheckEvery = .milliseconds(100)
        tuning.pollLease = .seconds(5)
        return tuning
    }

    /// Creates a polled source of `kind` with `config` and `secrets` (plain text, sealed here).
    func polledSource(
        _ kind: SourceKind,
        preset: WebhookPreset? = nil,
        config: [String: JSONValue],
        secrets: [(String, String)],
        fieldMap: [String: String] = [:]
    ) async throws -> Source {
        let sealed = try SourceSecrets().applying(secrets.map { (name: $0.0, value: $0.1) }).sealed(with: configuration.secretBox)
        return try await SourceStore(client: stores.postgres, logger: logger).create(
            tenantId: tenant.id,
            name: TestEnvironment.uniqueName("poll"),
            kind: kind,
            preset: preset,
            config: config,
            fieldMap: fieldMap,
            sealedSecrets: sealed
        )
    }

    /// Makes `source` due now (as `leadctl source poll` does).
    func pollNow(_ source: Source, acceptHeader: Bool = false) async throws {
        try await stores.postgres.execute(
            "UPDATE source_polls SET next_poll_at = now(), accept_header = accept_header OR \(acceptHeader) WHERE source_id = \(source.id)",
            logger: logger
        )
    }

    /// The number of finished polls of `source`.
    func pollRuns(_ source: Source) async throws -> Int {
        try await count("SELECT count(*)::int FROM poll_runs WHERE source_id = \(source.id)")
    }

    /// Waits until `source` has `runs` finished polls (or 30 s passed); returns the newest run.
    @discardableResult
    func waitForPollRuns(_ source: Source, _ runs: Int, timeout: Duration = .seconds(30)) async throws -> PollRunRow? {
        let deadline = ContinuousClock.now + timeout
        while try await pollRuns(source) < runs, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(try await pollRuns(source) >= runs, "expected \(runs) polls of \(source.name)")
        return try await newestPollRun(source)
    }

    /// A `poll_runs` row.
    struct PollRunRow: Sendable {
        var rowsRead: Int
        var newRows: Int
        var accepted: Int
        var duplicates: Int
        var rejected: Int
        var changed: Int
        var outcome: String
        var error: String?
        var rejections: String
        var notes: [String]
    }

    /// The newest run of `source`.
    func newestPollRun(_ source: Source) async throws -> PollRunRow? {
        let rows = try await stores.postgres.query(
            """
            SELECT rows_read, new_rows, accepted, duplicates, rejected, changed, outcome, error, rejections::text, notes
            FROM poll_runs WHERE source_id = \(source.id) ORDER BY id DESC LIMIT 1
            """,
            logger: logger
        )
        for try await (read, new, accepted, duplicates, rejected, changed, outcome, error, rejections, notes) in rows.decode(
            (Int, Int, Int, Int, Int, Int, String, String?, String, [String]).self
        ) {
            return PollRunRow(
                rowsRead: read,
                newRows: new,
                accepted: accepted,
                duplicates: duplicates,
                rejected: rejected,
                changed: changed,
                outcome: outcome,
                error: error,
                rejections: rejections,
                notes: notes
            )
        }
        return nil
    }

    /// The source's poll state and reason.
    func pollState(_ source: Source) async throws -> (state: String, reason: String?) {
        let rows = try await stores.postgres.query(
            "SELECT state, error_reason FROM source_polls WHERE source_id = \(source.id)",
            logger: logger
        )
        for try await row in rows.decode((String, String?).self) { return row }
        return ("missing", nil)
    }

    /// The emails of `source`'s leads, sorted, with how many leads each has.
    func leadEmails(_ source: Source) async throws -> [String] {
        try await stores.postgres.query(
            "SELECT coalesce(email, phone_raw) FROM leads WHERE source_id = \(source.id) ORDER BY 1",
            logger: logger
        ).decode(String.self).rows()
    }
}
