import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Shared
import TestSupport
import Testing

@Suite("WhatsApp webhooks: verification, replies, statuses, signatures")
struct WhatsAppWebhookTests {
    static let leadPhone = TwilioWebhookTests.leadPhone
    /// Hebrew with niqqud and emoji sequences (the Twilio suite's text), stored byte for byte.
    static let hebrew = TwilioWebhookTests.hebrew

    @Test func metasSubscriptionCheckEchoesTheChallengeOnlyForTheVerifyToken() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let source = try await WhatsAppHook.source(stores, tenant)
            let path = "/hooks/\(source.token)?hub.mode=subscribe&hub.challenge=1158201444"
            let ok = try await client.execute(uri: path + "&hub.verify_token=\(WhatsAppHook.verifyToken)", method: .get)
            #expect(ok.status == .ok)
            #expect(String(buffer: ok.body) == "1158201444", "the raw challenge, not JSON")
            let wrong = try await client.execute(uri: path + "&hub.verify_token=not-it", method: .get)
            #expect(wrong.status == .forbidden)
            #expect(try await TwilioHook.outcomes(stores) == ["verification", "bad_signature"])
        }
    }

    @Test func aReplyIsStoredByteExactOnTheLeadWhichIsEngagedAndARedeliveryIsADuplicate() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let lead = try await TwilioHook.lead(client, tenant, #"{"first_name": "דני", "phone": "\#(Self.leadPhone)"}"#)
            let source = try await WhatsAppHook.source(stores, tenant)
            let wamid = "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA="
            let response = try await WhatsAppHook.reply(client, source, wamid: wamid, phone: Self.leadPhone, text: Self.hebrew)
            #expect(response.isEmptyJSONObject, "\(response.status) \(String(buffer: response.body))")

            let row = "direction || '/' || channel || '/' || address || '/' || sender || '/' || coalesce(lead_id::text, 'none')"
            #expect(
                try await TwilioHook.strings(stores, "SELECT \(unescaped: row) FROM messages WHERE provider_message_id = \(wamid)")
                    == ["in/whatsapp/\(Self.leadPhone)/\(WhatsAppHook.phoneNumberId)/\(lead)"],
                "the inbound row on the lead is what refreshes its 24 h window for the worker"
            )
            let stored = try await WhatsAppHook.bodyBytes(stores, wamid)
            #expect(stored == Array(Self.hebrew.utf8), "compared as bytes: String == would accept a normalized form")
            let engaged = "l.stage || '/' || (l.last_reply_at IS NOT NULL) || '/' || c.cause || '/' || c.actor"
            #expect(
                try await TwilioHook.strings(
                    stores,
                    "SELECT \(unescaped: engaged) FROM leads l JOIN lead_stage_changes c ON c.lead_id = l.id WHERE l.id = \(lead)"
                ) == ["engaged/true/reply/whatsapp"]
            )
            #expect(try await stores.count("SELECT lead_ids[1]::int FROM inbound_events WHERE outcome = 'accepted'") == Int(lead))

            let again = try await WhatsAppHook.reply(client, source, wamid: wamid, phone: Self.leadPhone, text: Self.hebrew)
            #expect(again.isEmptyJSONObject, "a re-delivery is taken too")
            #expect(try await TwilioHook.outcomes(stores) == ["accepted", "duplicate"])
            let counts = "SELECT (SELECT count(*) FROM messages) || ' messages, ' || (SELECT count(*) FROM leads) || ' lead'"
            #expect(try await TwilioHook.strings(stores, "\(unescaped: counts)") == ["1 messages, 1 lead"], "a reply creates no lead")
        }
    }

    @Test func stopOnWhatsAppOptsTheNumberOutOfWhatsAppOnly() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            _ = try await TwilioHook.lead(client, tenant, #"{"phone": "\#(Self.leadPhone)"}"#)
            let source = try await WhatsAppHook.source(stores, tenant)
            #expect(try await WhatsAppHook.reply(client, source, wamid: "wamid.stop-1", phone: Self.leadPhone, text: " Stop\n").isEmptyJSONObject)
            let optOuts = OptOutStore(client: stores.postgres, logger: TestEnvironment.logger)
            #expect(try await optOuts.isOptedOut(tenantId: tenant.tenant.id, channel: .whatsapp, address: Self.leadPhone))
            #expect(try await optOuts.isOptedOut(tenantId: tenant.tenant.id, channel: .sms, address: Self.leadPhone) == false)
            #expect(
                try await TwilioHook.strings(stores, "SELECT channel || '/' || keyword || '/' || actor FROM opt_outs") == ["whatsapp/STOP/whatsapp"]
            )
        }
    }

    /// Notifications in arrival order (each `status` or `status:code`; `+` joins items of one POST) and the outcome.
    static let sequences: [(notifications: [String], status: String, errorCode: String)] = [
        (["read", "delivered"], "read", ""),
        (["sent", "delivered", "read"], "read", ""),
        (["read+delivered"], "read", ""),
        (["sent", "failed:131026"], "failed", "131026"),
        (["delivered", "failed:131026"], "delivered", ""),
    ]

    @Test(arguments: sequences)
    func aStatusOnlyMovesForwardAndAFailureKeepsItsCode(sequence: (notifications: [String], status: String, errorCode: String)) async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let lead = try await TwilioHook.lead(client, tenant, #"{"phone": "\#(Self.leadPhone)"}"#)
            let source = try await WhatsAppHook.source(stores, tenant)
            let wamid = "wamid.out-1"
            try await WhatsAppHook.sent(stores, tenant: tenant.tenant.id, lead: lead, address: Self.leadPhone, wamid: wamid)
            for notification in sequence.notifications {
                let items = notification.split(separator: "+").map { item in
                    let parts = item.split(separator: ":").map(String.init)
                    return (id: wamid, status: parts[0], errorCode: parts.dropFirst().first.flatMap { Int($0) })
                }
                let response = try await WhatsAppHook.statuses(client, source, items)
                #expect(response.isEmptyJSONObject, "\(response.status) \(String(buffer: response.body))")
            }
            #expect(
                try await TwilioHook.strings(
                    stores,
                    "SELECT status || '/' || coalesce(error_code, '') FROM messages WHERE provider_message_id = \(wamid)"
                )
                    == ["\(sequence.status)/\(sequence.errorCode)"]
            )
            if !sequence.errorCode.isEmpty {
                #expect(
                    try await TwilioHook.strings(stores, "SELECT error_reason FROM messages WHERE provider_message_id = \(wamid)")
                        == ["Message undeliverable: Not a WhatsApp user"]
                )
            }
            #expect(try await TwilioHook.outcomes(stores) == Array(repeating: "accepted", count: sequence.notifications.count))
            #expect(try await stores.count("SELECT min(lead_ids[1])::int FROM inbound_events") == Int(lead))
        }
    }

    @Test func aRepeatedStatusNotificationIsADuplicateAndOneForAnUnwrittenMessageIsKept() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let source = try await WhatsAppHook.source(stores, tenant)
            let items: [(id: String, status: String, errorCode: Int?)] = [("wamid.b", "delivered", nil), ("wamid.a", "failed", 131026)]
            #expect(try await WhatsAppHook.statuses(client, source, items).isEmptyJSONObject)
            #expect(try await WhatsAppHook.statuses(client, source, items).isEmptyJSONObject)
            #expect(try await TwilioHook.outcomes(stores) == ["accepted", "duplicate"])
            #expect(
                try await TwilioHook.strings(
                    stores,
                    "SELECT provider_message_id || '/' || status || '/' || coalesce(error_code, '') FROM message_status_events ORDER BY 1"
                ) == ["wamid.a/failed/131026", "wamid.b/delivered/"]
            )
        }
    }

    /// How a request fails to prove it came from Meta.
    enum Forgery: String, CaseIterable {
        case wrongSecret, unsigned, malformed, sourceWithoutAppSecret
    }

    @Test(arguments: Forgery.allCases)
    func aRequestNotProvablyFromMetaIs401AndRecordedAndChangesNothing(forgery: Forgery) async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let source = try await WhatsAppHook.source(stores, tenant, appSecret: forgery == .sourceWithoutAppSecret ? nil : WhatsAppHook.appSecret)
            let body = MetaWebhookSigner.textMessage(phoneNumberId: WhatsAppHook.phoneNumberId, waId: "972501234567", id: "wamid.f", text: "STOP")
            let signature: String? =
                switch forgery {
                case .wrongSecret: MetaWebhookSigner(appSecret: "not-the-app-secret").signature(of: body)
                case .unsigned: nil
                case .malformed: "sha1=0123"
                case .sourceWithoutAppSecret: MetaWebhookSigner(appSecret: WhatsAppHook.appSecret).signature(of: body)
                }
            let response = try await WhatsAppHook.post(client, source, body, signature: .some(signature))
            #expect(response.status == .unauthorized)
            #expect((response.json["error"] as? [String: Any])?["code"] as? String == "bad_signature")
            #expect(try await TwilioHook.outcomes(stores) == ["bad_signature"])
            #expect(try await stores.count("SELECT count(*)::int FROM inbound_events WHERE length(body) > 0 AND reason IS NOT NULL") == 1)
            #expect(try await stores.count("SELECT count(*)::int FROM messages") + stores.count("SELECT count(*)::int FROM opt_outs") == 0)
        }
    }
}
