import Foundation
import PostgresNIO
import Shared
import TestSupport
import Testing

/// What operators read and drive of polled sources, over rows inserted the way the workers'
/// pollers write them (`source_polls`, `poll_runs`, `lead_source_changes`).
@Suite("Source poll store")
struct SourcePollStoreTests {
    static let sheetConfig: [String: JSONValue] = ["spreadsheet_id": "sheet-1", "ranges": [.string("Leads!A:Z")]]

    /// A sheet source of `tenant`.
    static func sheet(_ fixture: OperationsFixture, _ tenant: Tenant, name: String = "Leads sheet") async throws -> Source {
        try await SourceStore(client: fixture.client, logger: fixture.logger)
            .create(tenantId: tenant.id, name: name, kind: .sheet, config: sheetConfig, destinationIds: [])
    }

    /// Records a poll of `source` that started `ago` seconds before the database's now.
    static func insertRun(
        _ client: PostgresClient,
        _ source: Source,
        ago seconds: Int,
        accepted: Int,
        outcome: String = "ok",
        error: String? = nil,
        rejections: String = "[]"
    ) async throws {
        try await client.query(
            """
            INSERT INTO poll_runs (source_id, tenant_id, worker_id, started_at, finished_at, duration_ms, requests, rows_read,
                new_rows, accepted, duplicates, rejected, changed, outcome, error, rejections, notes)
            VALUES (\(source.id), \(source.tenantId), 'worker-1', now() - make_interval(secs => \(seconds)),
                now() - make_interval(secs => \(seconds)) + interval '1.5 seconds', 1500, 2, 40, \(accepted + 2), \(accepted), 1, 1, 0,
                \(outcome), \(error), \(rejections)::jsonb, ARRAY['header read']::text[])
            """
        )
    }

    @Test func aSheetSourceHasAStateAndOtherSourcesDoNotPoll() async throws {
        try await OperationsFixture.run { fixture in
            let store = SourcePollStore(client: fixture.client, logger: fixture.logger)
            let tenant = try await fixture.tenant("Studio")
            let other = try await fixture.tenant("Other studio")
            let sheet = try await Self.sheet(fixture, tenant)
            let api = try await fixture.source(tenant, "API")

            let status = try #require(try await store.status(sourceId: sheet.id, tenantId: tenant.id))
            #expect(status.state == .ok && status.errorReason == nil && status.lastPolledAt == nil && status.runs.isEmpty)
            #expect(status.leaseHolder == nil && !status.acceptHeaderPending)
            #expect(status.summary(now: Date()) == "never polled yet")
            #expect(try await store.status(sourceId: sheet.id, tenantId: other.id) == nil, "another tenant's source is not shown")
            #expect(try await store.status(sourceId: api.id, tenantId: tenant.id) == nil, "an API source does not poll")

            await #expect(throws: StoreError.invalid(field: "source", message: "'API' does not poll (kind api)")) {
                try await store.pollNow(sourceId: api.id, tenantId: tenant.id)
            }
            await #expect(throws: StoreError.notFound(kind: "source", reference: sheet.id.uuidString.lowercased())) {
                try await store.pollNow(sourceId: sheet.id, tenantId: other.id)
            }
        }
    }

    @Test func pollNowMakesTheSourceDueAndCanAcceptTheNewHeader() async throws {
        try await OperationsFixture.run { fixture in
            let store = SourcePollStore(client: fixture.client, logger: fixture.logger)
            let tenant = try await fixture.tenant("Studio")
            let sheet = try await Self.sheet(fixture, tenant)
            try await fixture.client.query(
                """
                UPDATE source_polls SET next_poll_at = now() + interval '1 hour', state = 'error', error_since = now(),
                    error_reason = 'header changed: "Phone" is now "Mobile"' WHERE source_id = \(sheet.id)
                """
            )
            let before = try #require(try await store.status(sourceId: sheet.id, tenantId: nil))
            #expect(before.isHeaderChange)

            let due = try await store.pollNow(sourceId: sheet.id, tenantId: tenant.id, acceptHeader: true)
            #expect(due < before.nextPollAt)
            let dueNow = try await fixture.client.query("SELECT next_poll_at <= now() FROM source_polls WHERE source_id = \(sheet.id)")
                .decode(Bool.self).rows()
            #expect(dueNow == [true])
            try await store.pollNow(sourceId: sheet.id, tenantId: nil)
            let after = try #require(try await store.status(sourceId: sheet.id, tenantId: tenant.id))
            #expect(after.acceptHeaderPending, "a later plain poll-now keeps the pending header acceptance")
            #expect(after.state == .error, "the state is the poller's to clear")

            let webhook = try await SourceStore(client: fixture.client, logger: fixture.logger)
                .create(tenantId: tenant.id, name: "Shop hooks", kind: .webhook, preset: .shopmonkey, destinationIds: [])
            await #expect(throws: StoreError.self) { try await store.pollNow(sourceId: webhook.id, tenantId: tenant.id) }
        }
    }

    @Test func theStatusCarriesTheNewestRunsTheLiveLeaseAndTheRejectedRows() async throws {
        try await OperationsFixture.run { fixture in
            let store = SourcePollStore(client: fixture.client, logger: fixture.logger)
            let tenant = try await fixture.tenant("Studio")
            let sheet = try await Self.sheet(fixture, tenant)
            try await Self.insertRun(fixture.client, sheet, ago: 300, accepted: 5)
            try await Self.insertRun(fixture.client, sheet, ago: 200, accepted: 0, outcome: "error", error: "429 RESOURCE_EXHAUSTED")
            try await Self.insertRun(
                fixture.client,
                sheet,
                ago: 12,
                accepted: 3,
                outcome: "partial",
                rejections: #"[{"row": 14, "reason": "phone: not a phone number", "fields": {"Phone": "abc", "Age": 31}}, {"row": 15}]"#
            )
            try await fixture.client.query(
                """
                UPDATE source_polls SET lease_owner = 'worker-2', lease_until = now() + interval '1 minute',
                    last_polled_at = now() - interval '12 seconds', last_success_at = now() - interval '12 seconds'
                WHERE source_id = \(sheet.id)
                """
            )

            let status = try #require(try await store.status(sourceId: sheet.id, tenantId: tenant.id, runs: 2))
            #expect(status.leaseHolder == "worker-2")
            #expect(status.runs.map(\.accepted) == [3, 0], "the newest two, newest first")
            let newest = try #require(status.runs.first)
            #expect(newest.outcome == .partial && newest.workerId == "worker-1" && newest.durationMilliseconds == 1_500)
            #expect(newest.rowsRead == 40 && newest.newRows == 5 && newest.duplicates == 1 && newest.rejected == 1 && newest.requests == 2)
            #expect(newest.notes == ["header read"])
            #expect(newest.rejections == [.init(row: "14", reason: "phone: not a phone number", fields: ["Phone": "abc", "Age": "31"])])
            #expect(status.runs[1].outcomeText == "error: 429 RESOURCE_EXHAUSTED")
            let polled = try #require(status.lastPolledAt)
            #expect(status.summary(now: polled + 12) == "last polled 12 s ago, 3 new leads, 1 row rejected (partial: goes on at the next poll)")

            try await fixture.client.query("UPDATE source_polls SET lease_until = now() - interval '1 second' WHERE source_id = \(sheet.id)")
            #expect(try await store.status(sourceId: sheet.id, tenantId: tenant.id)?.leaseHolder == nil, "a lapsed lease has no holder")
        }
    }

    @Test func aLeadsSourceChangesAreListedNewestFirstWithinItsTenant() async throws {
        try await OperationsFixture.run { fixture in
            let store = SourcePollStore(client: fixture.client, logger: fixture.logger)
            let tenant = try await fixture.tenant("Studio")
            let other = try await fixture.tenant("Other studio")
            let sheet = try await Self.sheet(fixture, tenant)
            let lead = try await fixture.lead([.email: "dana@example.com"], source: sheet, tenant: tenant).id
            #expect(try await store.changes(leadId: lead, tenantId: tenant.id).isEmpty)
            try await fixture.client.query(
                """
                INSERT INTO lead_source_changes (lead_id, source_id, at, location, before, after) VALUES
                    (\(lead), \(sheet.id), now() - interval '1 hour', 'Leads!A14', '{"Email": "dana@example.com", "Phone": "050"}',
                     '{"Email": "dana@example.com", "Phone": "052", "City": "Haifa"}'),
                    (\(lead), \(sheet.id), now(), 'Leads!A14', '{"Phone": "052", "City": "Haifa"}', '{"Phone": "052"}')
                """
            )
            let changes = try await store.changes(leadId: lead, tenantId: tenant.id)
            #expect(changes.map(\.location) == ["Leads!A14", "Leads!A14"] && changes.allSatisfy { $0.sourceId == sheet.id })
            #expect(changes.first?.differences == [.init(field: "City", before: "Haifa", after: nil)])
            #expect(
                changes.last?.differences == [.init(field: "City", before: nil, after: "Haifa"), .init(field: "Phone", before: "050", after: "052")]
            )
            #expect(try await store.changes(leadId: lead, tenantId: other.id).isEmpty, "another tenant's lead shows nothing")
            #expect(try await store.changes(leadId: lead, tenantId: nil).count == 2)
        }
    }
}
