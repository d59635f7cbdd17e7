import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Shared
import TestSupport
import Testing

@Suite("Twilio webhooks: replies, opt-out keywords, signatures")
struct TwilioWebhookTests {
    static let leadPhone = "+972501234567"
    /// Hebrew with niqqud, an emoji with a skin tone and a family sequence: stored byte for byte.
    static let hebrew = "שָׁלוֹם דני 👋🏽 👨‍👩‍👧 בדיקה"

    @Test func aReplyFromALeadsPhoneIsStoredByteExactLinkedToTheLeadAndEngagesIt() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let lead = try await TwilioHook.lead(client, tenant, #"{"first_name": "דני", "phone": "\#(Self.leadPhone)"}"#)
            let source = try await TwilioHook.source(stores, tenant)
            let sid = "SM10000000000000000000000000000001"
            let response = try await TwilioHook.reply(client, source, sid: sid, from: Self.leadPhone, body: Self.hebrew)
            #expect(response.isEmptyTwiML, "\(response.status) \(String(buffer: response.body))")

            #expect(
                try await stores.count(
                    """
                    SELECT count(*)::int FROM messages WHERE direction = 'in' AND channel = 'sms' AND address = \(Self.leadPhone)
                      AND sender = \(TwilioHook.ourNumber) AND provider_message_id = \(sid) AND lead_id = \(lead)
                      AND inbound_event_id IS NOT NULL
                    """
                ) == 1
            )
            var stored: [UInt8] = []
            for try await bytes in try await stores.postgres.query(
                "SELECT convert_to(body, 'UTF8') FROM messages WHERE provider_message_id = \(sid)",
                logger: TestEnvironment.logger
            ).decode(ByteBuffer.self) {
                stored = Array(bytes.readableBytesView)
            }
            #expect(stored == Array(Self.hebrew.utf8), "compared as bytes: String == would accept a normalized form")
            #expect(try await TwilioHook.strings(stores, "SELECT stage FROM leads WHERE id = \(lead)") == ["engaged"])
            #expect(try await stores.count("SELECT count(*)::int FROM leads WHERE id = \(lead) AND last_reply_at IS NOT NULL") == 1)
            #expect(
                try await TwilioHook.strings(
                    stores,
                    "SELECT cause || '/' || actor || '/' || to_stage FROM lead_stage_changes WHERE lead_id = \(lead)"
                )
                    == ["reply/twilio/engaged"]
            )
            #expect(try await stores.count("SELECT lead_ids[1]::int FROM inbound_events WHERE outcome = 'accepted'") == Int(lead))

            let again = try await TwilioHook.reply(client, source, sid: sid, from: Self.leadPhone, body: Self.hebrew)
            #expect(again.isEmptyTwiML, "a re-delivery is taken too")
            #expect(try await TwilioHook.outcomes(stores) == ["accepted", "duplicate"])
            #expect(try await stores.count("SELECT count(*)::int FROM messages") == 1)
            #expect(try await stores.count("SELECT count(*)::int FROM leads") == 1, "a reply creates no lead")
            #expect(try await stores.count("SELECT count(*)::int FROM deliveries WHERE lead_id <> \(lead)") == 0)
        }
    }

    @Test func aReplyGoesToTheLeadLastMessagedAtThatNumberElseTheNewestLeadWithThePhoneElseNone() async throws {
        try await IngestAPITestHarness.run { client, tenant, other, stores in
            let messaged = try await TwilioHook.lead(client, tenant, #"{"email": "first@example.com", "phone": "\#(Self.leadPhone)"}"#)
            let newest = try await TwilioHook.lead(client, tenant, #"{"email": "second@example.com", "phone": "\#(Self.leadPhone)"}"#)
            _ = try await TwilioHook.lead(client, other, #"{"email": "elsewhere@example.com", "phone": "+972509999999"}"#)
            let source = try await TwilioHook.source(stores, tenant)

            _ = try await TwilioHook.reply(client, source, sid: "SM20000000000000000000000000000001", from: Self.leadPhone, body: "hi")
            try await TwilioHook.sent(stores, tenant: tenant.tenant.id, lead: messaged, address: Self.leadPhone, sid: "SMout1")
            _ = try await TwilioHook.reply(client, source, sid: "SM20000000000000000000000000000002", from: Self.leadPhone, body: "hi")
            _ = try await TwilioHook.reply(client, source, sid: "SM20000000000000000000000000000003", from: "+972509999999", body: "hi")

            #expect(
                try await TwilioHook.strings(stores, "SELECT coalesce(lead_id::text, 'none') FROM messages WHERE direction = 'in' ORDER BY id")
                    == ["\(newest)", "\(messaged)", "none"],
                "the other tenant's lead with that phone is never matched"
            )
            #expect(try await TwilioHook.outcomes(stores) == ["accepted", "accepted", "accepted"])
            #expect(try await stores.count("SELECT cardinality(lead_ids) FROM inbound_events ORDER BY id DESC LIMIT 1") == 0)
        }
    }

    @Test func stopOptsTheNumberOutAndStartOptsItBackInWithAnAuditEntryEach() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            _ = try await TwilioHook.lead(client, tenant, #"{"phone": "\#(Self.leadPhone)"}"#)
            let source = try await TwilioHook.source(stores, tenant)
            let optOuts = OptOutStore(client: stores.postgres, logger: TestEnvironment.logger)

            #expect(
                try await TwilioHook.reply(client, source, sid: "SM30000000000000000000000000000001", from: Self.leadPhone, body: "STOP PLEASE")
                    .isEmptyTwiML
            )
            #expect(try await stores.count("SELECT count(*)::int FROM opt_outs") == 0, "only a single-word message is a keyword")

            #expect(
                try await TwilioHook.reply(client, source, sid: "SM30000000000000000000000000000002", from: Self.leadPhone, body: " stop\n")
                    .isEmptyTwiML
            )
            #expect(try await optOuts.isOptedOut(tenantId: tenant.tenant.id, channel: .sms, address: Self.leadPhone))
            #expect(
                try await TwilioHook.strings(stores, "SELECT cause || '/' || keyword || '/' || actor FROM opt_outs") == ["keyword/STOP/twilio"]
            )
            #expect(try await stores.count("SELECT count(*)::int FROM opt_outs WHERE inbound_event_id IS NOT NULL") == 1)

            #expect(
                try await TwilioHook.reply(client, source, sid: "SM30000000000000000000000000000003", from: Self.leadPhone, body: "Start")
                    .isEmptyTwiML
            )
            #expect(try await optOuts.isOptedOut(tenantId: tenant.tenant.id, channel: .sms, address: Self.leadPhone) == false)
            #expect(
                try await TwilioHook.strings(stores, "SELECT action || '/' || target_id || '/' || (details->>'keyword') FROM audit_log ORDER BY id")
                    == ["optouts.add/sms:\(Self.leadPhone)/STOP", "optouts.remove/sms:\(Self.leadPhone)/START"]
            )
            #expect(try await stores.count("SELECT count(*)::int FROM messages WHERE direction = 'in'") == 3, "keywords are replies too")
        }
    }

    @Test func aReplayedReplyIsRecordedAsADuplicateAndAddsNothing() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            _ = try await TwilioHook.lead(client, tenant, #"{"phone": "\#(Self.leadPhone)"}"#)
            let source = try await TwilioHook.source(stores, tenant)
            #expect(
                try await TwilioHook.reply(client, source, sid: "SM35000000000000000000000000000001", from: Self.leadPhone, body: "STOP").isEmptyTwiML
            )
            let original = try await stores.count("SELECT min(id)::int FROM inbound_events")
            let secretBox = try SecretBox(currentKey: TestEnvironment.secretKey)
            let replay = try await InboundEventReplay(postgres: stores.postgres, secretBox: secretBox, logger: TestEnvironment.logger)
                .replay(Int64(original), tenantId: tenant.tenant.id)
            #expect(replay.status == 200)
            #expect(try await TwilioHook.outcomes(stores) == ["accepted", "duplicate"])
            #expect(try await stores.count("SELECT count(*)::int FROM inbound_events WHERE replay_of = \(original)") == 1)
            #expect(try await stores.count("SELECT count(*)::int FROM messages") == 1)
            #expect(try await stores.count("SELECT count(*)::int FROM audit_log WHERE action LIKE 'optouts.%'") == 1)
        }
    }

    /// How a request fails to prove it came from Twilio.
    enum Forgery: String, CaseIterable {
        case wrongToken, unsigned, sourceWithoutAuthToken, noPublicURL
    }

    @Test(arguments: Forgery.allCases)
    func aRequestNotProvablyFromTwilioIs401AndRecordedAndChangesNothing(forgery: Forgery) async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let source: Source
            switch forgery {
            case .sourceWithoutAuthToken: source = try await TwilioHook.source(stores, tenant, authToken: nil)
            case .noPublicURL: source = try await TwilioHook.source(stores, tenant, config: [:])
            case .wrongToken, .unsigned: source = try await TwilioHook.source(stores, tenant)
            }
            let stop = TwilioWebhookSigner.inboundSMS(
                sid: "SM40000000000000000000000000000001",
                from: Self.leadPhone,
                to: TwilioHook.ourNumber,
                body: "STOP"
            )
            let signer: TwilioWebhookSigner? =
                switch forgery {
                case .wrongToken: TwilioHook.signer(source, token: "not-the-auth-token")
                case .unsigned: nil
                case .sourceWithoutAuthToken, .noPublicURL: TwilioHook.signer(source)
                }
            let response = try await TwilioHook.post(client, source, stop, signer: signer)
            #expect(response.status == .unauthorized)
            #expect((response.json["error"] as? [String: Any])?["code"] as? String == "bad_signature")
            #expect(try await TwilioHook.outcomes(stores) == ["bad_signature"])
            #expect(try await stores.count("SELECT count(*)::int FROM inbound_events WHERE length(body) > 0 AND reason IS NOT NULL") == 1)
            #expect(try await stores.count("SELECT count(*)::int FROM messages") + stores.count("SELECT count(*)::int FROM opt_outs") == 0)
        }
    }

    @Test func withoutAPublicURLConfigTheSignatureCoversPublicBaseURLAndTheQueryAsReceived() async throws {
        try await IngestAPITestHarness.run(extra: ["PUBLIC_BASE_URL": "\(TwilioHook.publicBase)/"]) { client, tenant, _, stores in
            let source = try await TwilioHook.source(stores, tenant, config: [:])
            let query = "tag=sms%20replies&n=1"
            let parameters = TwilioWebhookSigner.inboundSMS(
                sid: "SM50000000000000000000000000000001",
                from: Self.leadPhone,
                to: "+15005550006",
                body: "hi"
            )
            let signed = try await TwilioHook.post(client, source, parameters, signer: TwilioHook.signer(source, query: query), query: query)
            #expect(signed.isEmptyTwiML, "\(signed.status) \(String(buffer: signed.body))")
            let withoutQuery = try await TwilioHook.post(client, source, parameters, signer: TwilioHook.signer(source), query: query)
            #expect(withoutQuery.status == .unauthorized, "the query is part of what Twilio signs")
            #expect(try await TwilioHook.outcomes(stores) == ["accepted", "bad_signature"])
        }
    }
}
