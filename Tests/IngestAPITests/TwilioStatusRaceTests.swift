import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Shared
import TestSupport
import Testing

/// A status callback racing the worker's commit of the message it reports on: whichever commits
/// second sees the other (migrations/0013). The interleavings are forced with an open transaction
/// and by waiting until the other side is blocked on the lock, never by timing.
@Suite("Twilio webhooks: a status racing the outbound message's commit")
struct TwilioStatusRaceTests {
    static let sid = "SM90000000000000000000000000000001"

    static func outboundInsert(_ tenant: UUID, lead: Int64) -> PostgresQuery {
        """
        INSERT INTO messages (tenant_id, lead_id, direction, channel, address, provider_message_id, status, status_rank)
        VALUES (\(tenant), \(lead), 'out', 'sms', '+972501234567', \(sid), 'queued', 1)
        """
    }

    /// Waits until a session waits for an advisory lock (bounded; the assertion is on the outcome).
    static func untilSomeoneWaitsForTheLock(_ stores: DataStores) async throws {
        for _ in 0..<600 {
            if try await stores.count("SELECT count(*)::int FROM pg_locks WHERE locktype = 'advisory' AND NOT granted") > 0 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("nobody waited for the message status lock")
    }

    @Test func aCallbackDuringTheWorkersTransactionIsAppliedOnceItCommits() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let lead = try await TwilioHook.lead(client, tenant, #"{"phone": "+972501234567"}"#)
            let source = try await TwilioHook.source(stores, tenant)
            try await stores.postgres.withConnection { worker in
                _ = try await worker.query("BEGIN", logger: TestEnvironment.logger)
                _ = try await worker.query(Self.outboundInsert(tenant.tenant.id, lead: lead), logger: TestEnvironment.logger)
                try await withThrowingTaskGroup(of: Bool.self) { group in
                    group.addTask { try await TwilioHook.status(client, source, sid: Self.sid, status: "delivered").isEmptyTwiML }
                    try await Self.untilSomeoneWaitsForTheLock(stores)
                    _ = try await worker.query("COMMIT", logger: TestEnvironment.logger)
                    for try await answered in group { #expect(answered) }
                }
            }
            #expect(try await TwilioHook.strings(stores, "SELECT status FROM messages WHERE provider_message_id = \(Self.sid)") == ["delivered"])
        }
    }

    @Test func aMessageCommittedAfterAPendingCallbackTakesItsStatus() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let lead = try await TwilioHook.lead(client, tenant, #"{"phone": "+972501234567"}"#)
            try await stores.postgres.withConnection { webhook in
                _ = try await webhook.query("BEGIN", logger: TestEnvironment.logger)
                _ = try await webhook.query(
                    """
                    INSERT INTO message_status_events (channel, provider_message_id, status, status_rank, error_code)
                    VALUES ('sms', \(Self.sid), 'failed', 6, '30006')
                    """,
                    logger: TestEnvironment.logger
                )
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        try await stores.postgres.execute(Self.outboundInsert(tenant.tenant.id, lead: lead), logger: TestEnvironment.logger)
                    }
                    try await Self.untilSomeoneWaitsForTheLock(stores)
                    _ = try await webhook.query("COMMIT", logger: TestEnvironment.logger)
                    try await group.waitForAll()
                }
            }
            #expect(
                try await TwilioHook.strings(stores, "SELECT status || '/' || error_code FROM messages WHERE provider_message_id = \(Self.sid)")
                    == ["failed/30006"]
            )
        }
    }
}
