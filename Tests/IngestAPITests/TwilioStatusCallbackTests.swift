import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Shared
import TestSupport
import Testing

@Suite("Twilio webhooks: delivery status callbacks")
struct TwilioStatusCallbackTests {
    /// Callbacks in arrival order (`status` or `status:ErrorCode`) and the message's status after them.
    static let sequences: [(callbacks: [String], status: String, errorCode: String)] = [
        (["delivered", "sent"], "delivered", ""),
        (["read", "delivered"], "read", ""),
        (["sent", "failed:30006"], "failed", "30006"),
        (["delivered", "undelivered:30003"], "delivered", ""),
        (["sending", "sent", "delivered"], "delivered", ""),
    ]

    @Test(arguments: sequences)
    func aStatusOnlyEverMovesForwardAndFailureNeverReplacesDelivered(
        sequence: (callbacks: [String], status: String, errorCode: String)
    )
        async throws
    {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let lead = try await TwilioHook.lead(client, tenant, #"{"phone": "+972501234567"}"#)
            let source = try await TwilioHook.source(stores, tenant)
            let sid = "SM60000000000000000000000000000001"
            try await TwilioHook.sent(stores, tenant: tenant.tenant.id, lead: lead, address: "+972501234567", sid: sid)
            for callback in sequence.callbacks {
                let parts = callback.split(separator: ":").map(String.init)
                let response = try await TwilioHook.status(
                    client,
                    source,
                    sid: sid,
                    status: parts[0],
                    errorCode: parts.dropFirst().first.flatMap { Int($0) }
                )
                #expect(response.isEmptyTwiML, "\(response.status) \(String(buffer: response.body))")
            }
            #expect(
                try await TwilioHook.strings(
                    stores,
                    "SELECT status || '/' || coalesce(error_code, '') FROM messages WHERE provider_message_id = \(sid)"
                )
                    == ["\(sequence.status)/\(sequence.errorCode)"]
            )
            #expect(try await TwilioHook.outcomes(stores) == Array(repeating: "accepted", count: sequence.callbacks.count))
            #expect(try await stores.count("SELECT min(lead_ids[1])::int FROM inbound_events") == Int(lead))
            #expect(try await stores.count("SELECT count(*)::int FROM message_status_events") == 0)
        }
    }

    @Test func aStatusForAMessageNotWrittenYetIsKeptForItAndARepeatIsADuplicate() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let source = try await TwilioHook.source(stores, tenant)
            let sid = "SM70000000000000000000000000000001"
            #expect(try await TwilioHook.status(client, source, sid: sid, status: "delivered").isEmptyTwiML)
            #expect(try await TwilioHook.status(client, source, sid: sid, status: "delivered").isEmptyTwiML)
            #expect(try await TwilioHook.status(client, source, sid: sid, status: "failed", errorCode: 30006).isEmptyTwiML)
            #expect(
                try await TwilioHook.strings(
                    stores,
                    "SELECT channel || '/' || status || '/' || status_rank || '/' || coalesce(error_code, '') FROM message_status_events ORDER BY status"
                ) == ["sms/delivered/4/", "sms/failed/6/30006"]
            )
            #expect(try await TwilioHook.outcomes(stores) == ["accepted", "duplicate", "accepted"])
            #expect(try await stores.count("SELECT count(*)::int FROM messages") == 0)
        }
    }

    @Test func anUntrackedStatusIsRecordedAsIgnoredAnd200() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let source = try await TwilioHook.source(stores, tenant)
            let response = try await TwilioHook.status(client, source, sid: "SM80000000000000000000000000000001", status: "scheduled")
            #expect(response.status == .ok)
            #expect(try await TwilioHook.outcomes(stores) == ["ignored"])
        }
    }
}
