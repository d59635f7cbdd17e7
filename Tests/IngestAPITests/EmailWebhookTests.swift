import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Shared
import TestSupport
import Testing

@Suite("Email webhooks: SendGrid Inbound Parse replies, opt-out keywords, duplicates")
struct EmailWebhookTests {
    /// Hebrew with niqqud, an emoji with a skin tone and a family sequence: stored byte for byte.
    static let hebrew = "שָׁלוֹם דני 👋🏽 👨‍👩‍👧 בדיקה"

    @Test func aReplyMatchedBySenderShowsInTheConversationAndEngagesTheLead() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let lead = try await TwilioHook.lead(client, tenant, #"{"first_name": "Dana", "email": "Dana@Example.com"}"#)
            let source = try await EmailHook.source(stores, tenant)
            let response = try await EmailHook.post(client, source, .reply(from: #""Dana Levi" <DANA@example.com>"#, envelopeFrom: nil))
            #expect(response.isEmptyJSONObject, "\(response.status) \(String(buffer: response.body))")

            let detail = try #require(
                try await LeadLookup(client: stores.postgres, logger: TestEnvironment.logger).detail(leadId: lead, tenantId: nil)
            )
            let message = try #require(detail.conversation.first)
            #expect(detail.conversation.count == 1)
            #expect(message.direction == "in" && message.channel == "email")
            #expect(message.address == "dana@example.com", "normalized, lower-cased as opt-outs keep it")
            #expect(message.sender == EmailHook.inboundAddress)
            #expect(message.body?.hasPrefix("Yes, call me tomorrow.") == true)
            #expect(message.subject == "Re: your quote", "the conversation shows the subject")
            #expect(try await TwilioHook.strings(stores, "SELECT subject FROM messages") == ["Re: your quote"])
            #expect(try await TwilioHook.strings(stores, "SELECT stage FROM leads WHERE id = \(lead)") == ["engaged"])
            #expect(try await stores.count("SELECT count(*)::int FROM leads WHERE id = \(lead) AND last_reply_at IS NOT NULL") == 1)
            #expect(
                try await TwilioHook.strings(
                    stores,
                    "SELECT cause || '/' || actor || '/' || to_stage FROM lead_stage_changes WHERE lead_id = \(lead)"
                )
                    == ["reply/email/engaged"]
            )
            #expect(
                try await TwilioHook.strings(stores, "SELECT outcome || '/' || external_event_id FROM inbound_events") == [
                    "accepted/CAF=reply-1@mail.example.com"
                ]
            )
            #expect(try await stores.count("SELECT lead_ids[1]::int FROM inbound_events") == Int(lead))
        }
    }

    @Test func theEnvelopeSenderCountsBeforeTheFromFieldAndAnUnknownSenderIsRecordedUnmatched() async throws {
        try await IngestAPITestHarness.run { client, tenant, other, stores in
            _ = try await TwilioHook.lead(client, tenant, #"{"email": "dana@example.com"}"#)
            _ = try await TwilioHook.lead(client, other, #"{"email": "stranger@example.org"}"#)
            let source = try await EmailHook.source(stores, tenant)
            let response = try await EmailHook.post(
                client,
                source,
                .reply(from: #"Dana <dana@example.com>"#, envelopeFrom: "Stranger@Example.ORG", messageId: "unknown-1@example.org")
            )
            #expect(response.isEmptyJSONObject)
            #expect(
                try await TwilioHook.strings(stores, "SELECT address || '/' || coalesce(lead_id::text, 'none') FROM messages") == [
                    "stranger@example.org/none"
                ],
                "the other tenant's lead with that email is never matched"
            )
            #expect(
                try await TwilioHook.strings(stores, "SELECT outcome || ': ' || reason FROM inbound_events") == [
                    "accepted: reply from stranger@example.org matches no lead"
                ]
            )
            #expect(try await TwilioHook.strings(stores, "SELECT stage FROM leads WHERE tenant_id = \(tenant.tenant.id)") == ["new"])
        }
    }

    @Test func aHebrewUTF8SubjectAndBodyAreStoredByteExact() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            _ = try await TwilioHook.lead(client, tenant, #"{"email": "dana@example.com"}"#)
            let source = try await EmailHook.source(stores, tenant)
            let subject = "Re: " + Self.hebrew
            let response = try await EmailHook.post(
                client,
                source,
                .reply(subject: Array(subject.utf8), text: Array(Self.hebrew.utf8), messageId: "hebrew-1@mail.example.co.il")
            )
            #expect(response.isEmptyJSONObject)
            #expect(try await EmailHook.bytes(stores, "subject", of: "hebrew-1@mail.example.co.il") == Array(subject.utf8))
            #expect(try await EmailHook.bytes(stores, "body", of: "hebrew-1@mail.example.co.il") == Array(Self.hebrew.utf8))
        }
    }

    @Test func anISO88591SubjectAndBodyAreDecoded() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let source = try await EmailHook.source(stores, tenant)
            let latin1: (String) -> [UInt8] = { text in text.unicodeScalars.map { UInt8($0.value) } }
            let response = try await EmailHook.post(
                client,
                source,
                .reply(subject: latin1("Re: café"), text: latin1("Très bien, à demain"), charset: "iso-8859-1", messageId: "latin-1@example.fr")
            )
            #expect(response.isEmptyJSONObject)
            #expect(try await EmailHook.bytes(stores, "subject", of: "latin-1@example.fr") == Array("Re: café".utf8))
            #expect(try await EmailHook.bytes(stores, "body", of: "latin-1@example.fr") == Array("Très bien, à demain".utf8))
        }
    }

    @Test func inReplyToALeadRelayMessageIdBeatsTheSenderAddressWithinTheTenantOnly() async throws {
        try await IngestAPITestHarness.run { client, tenant, other, stores in
            let answered = try await TwilioHook.lead(client, tenant, #"{"email": "office@example.com", "first_name": "Answered"}"#)
            let byAddress = try await TwilioHook.lead(client, tenant, #"{"email": "dana@example.com"}"#)
            try await EmailHook.sent(stores, tenant: tenant.tenant.id, lead: byAddress, address: "dana@example.com")
            let otherLead = try await TwilioHook.lead(client, other, #"{"email": "dana@example.com"}"#)
            let delivery = try await EmailHook.delivery(of: answered, stores)
            let foreignDelivery = try await EmailHook.delivery(of: otherLead, stores)
            let source = try await EmailHook.source(stores, tenant)

            let threaded = try await EmailHook.post(
                client,
                source,
                .reply(messageId: "thread-1@example.com", inReplyTo: "leadrelay.d\(delivery).k3j4h5@client.example")
            )
            #expect(threaded.isEmptyJSONObject)
            let referenced = try await EmailHook.post(
                client,
                source,
                .reply(messageId: "thread-2@example.com", references: "<leadrelay.d\(delivery).zz@client.example>")
            )
            #expect(referenced.isEmptyJSONObject)
            let foreign = try await EmailHook.post(
                client,
                source,
                .reply(messageId: "thread-3@example.com", inReplyTo: "leadrelay.d\(foreignDelivery).k3j4h5@client.example")
            )
            #expect(foreign.isEmptyJSONObject)
            #expect(
                try await TwilioHook.strings(stores, "SELECT provider_message_id || ':' || lead_id FROM messages WHERE direction = 'in' ORDER BY id")
                    == ["thread-1@example.com:\(answered)", "thread-2@example.com:\(answered)", "thread-3@example.com:\(byAddress)"],
                "another tenant's delivery is never followed; the latest email sent to the address wins then"
            )
            #expect(try await TwilioHook.strings(stores, "SELECT stage FROM leads WHERE id = \(answered)") == ["engaged"])
        }
    }

    @Test func stopInTheSubjectOptsTheAddressOutAndStartOnTheFirstLineOptsItBackIn() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            _ = try await TwilioHook.lead(client, tenant, #"{"email": "dana@example.com"}"#)
            let source = try await EmailHook.source(stores, tenant)
            let optOuts = OptOutStore(client: stores.postgres, logger: TestEnvironment.logger)

            let quoted = Array("Please stop\n\n> STOP".utf8)
            #expect(
                try await EmailHook.post(client, source, .reply(subject: Array("Re: hi".utf8), text: quoted, messageId: "k-1@x.com"))
                    .isEmptyJSONObject
            )
            #expect(try await stores.count("SELECT count(*)::int FROM opt_outs") == 0, "only a line that is exactly one keyword counts")

            #expect(try await EmailHook.post(client, source, .reply(subject: Array("STOP".utf8), messageId: "k-2@x.com")).isEmptyJSONObject)
            #expect(try await optOuts.isOptedOut(tenantId: tenant.tenant.id, channel: .email, address: "dana@example.com"))
            #expect(
                try await TwilioHook.strings(stores, "SELECT channel || '/' || cause || '/' || keyword || '/' || actor FROM opt_outs") == [
                    "email/keyword/STOP/email"
                ]
            )

            let start = InboundParseFixture.reply(
                subject: Array("Re: hi".utf8),
                text: Array("\n  start \nOn Monday you wrote:\n> Hello".utf8),
                messageId: "k-3@x.com"
            )
            #expect(try await EmailHook.post(client, source, start).isEmptyJSONObject)
            #expect(try await optOuts.isOptedOut(tenantId: tenant.tenant.id, channel: .email, address: "dana@example.com") == false)
            #expect(
                try await TwilioHook.strings(stores, "SELECT action || '/' || target_id FROM audit_log WHERE action LIKE 'optouts.%' ORDER BY id")
                    == ["optouts.add/email:dana@example.com", "optouts.remove/email:dana@example.com"]
            )
        }
    }

    @Test func aRetryOrReplayStoresNothingTwiceWithOrWithoutAMessageId() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            _ = try await TwilioHook.lead(client, tenant, #"{"email": "dana@example.com"}"#)
            let source = try await EmailHook.source(stores, tenant)
            let withId = InboundParseFixture.reply(subject: Array("STOP".utf8), messageId: "retry-1@example.com")
            let withoutId = InboundParseFixture.reply(subject: Array("Re: a question".utf8), messageId: nil, attachment: true)
            for form in [withId, withId, withoutId, withoutId] {
                #expect(try await EmailHook.post(client, source, form).isEmptyJSONObject)
            }
            #expect(try await TwilioHook.outcomes(stores) == ["accepted", "duplicate", "accepted", "duplicate"])
            #expect(try await stores.count("SELECT count(*)::int FROM messages") == 2)
            #expect(
                try await stores.count(
                    "SELECT count(*)::int FROM messages WHERE provider_message_id LIKE 'sha256:%' AND length(provider_message_id) = 71"
                )
                    == 1,
                "without a Message-ID the key is the digest of the raw body"
            )
            #expect(
                try await TwilioHook.strings(
                    stores,
                    "SELECT reason FROM inbound_events WHERE id = (SELECT max(id) FROM inbound_events WHERE outcome = 'accepted')"
                )
                .first?.contains("1 attachment not kept") == true
            )

            let original = try await stores.count("SELECT min(id)::int FROM inbound_events")
            #expect(try await EmailHook.replay(Int64(original), tenant, stores) == 200)
            #expect(try await stores.count("SELECT count(*)::int FROM inbound_events WHERE replay_of = \(original) AND outcome = 'duplicate'") == 1)
            #expect(try await stores.count("SELECT count(*)::int FROM messages") == 2)
            #expect(try await stores.count("SELECT count(*)::int FROM audit_log WHERE action LIKE 'optouts.%'") == 1)
        }
    }

    /// A request SendGrid would not send.
    enum Malformed: String, CaseIterable {
        case json, noBoundary, noSender, senderWithoutAddress
    }

    @Test(arguments: Malformed.allCases)
    func aRequestThatIsNotAnInboundParseReplyIs400AndRecorded(malformed: Malformed) async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let source = try await EmailHook.source(stores, tenant)
            let response: TestResponse
            switch malformed {
            case .json:
                response = try await EmailHook.post(client, source, contentType: "application/json", body: Array(#"{"from": "a@b.com"}"#.utf8))
            case .noBoundary:
                response = try await EmailHook.post(client, source, contentType: "multipart/form-data", body: InboundParseFixture.reply().body)
            case .noSender:
                response = try await EmailHook.post(client, source, .reply(from: nil, envelopeFrom: nil))
            case .senderWithoutAddress:
                response = try await EmailHook.post(client, source, .reply(from: "Dana Levi", envelopeFrom: ""))
            }
            #expect(response.status == .badRequest)
            let error = response.json["error"] as? [String: Any]
            #expect(error?["code"] as? String == "rejected")
            let reason = try #require(error?["message"] as? String)
            let expected =
                switch malformed {
                case .json: "an email source takes SendGrid Inbound Parse's multipart/form-data (got application/json)"
                case .noBoundary: "multipart/form-data needs a boundary parameter"
                case .noSender: "no sender: the form has no from field and no envelope from"
                case .senderWithoutAddress: #"no sender: from "Dana Levi" holds no email address"#
                }
            #expect(reason == expected)
            #expect(
                try await TwilioHook.strings(stores, "SELECT outcome || ': ' || reason FROM inbound_events WHERE length(body) > 0") == [
                    "rejected: \(expected)"
                ]
            )
            #expect(try await stores.count("SELECT count(*)::int FROM messages") == 0)
        }
    }

    @Test func anHTMLOnlyReplyIsStoredAsTextAndGETIsRefused() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let source = try await EmailHook.source(stores, tenant)
            let html = "<html><head><style>p { color: red }</style></head><body><p>Call me &amp; my wife</p><div>at 5<br>ok?</div></body></html>"
            #expect(try await EmailHook.post(client, source, .reply(text: nil, html: Array(html.utf8), messageId: "html-1@x.com")).isEmptyJSONObject)
            #expect(try await TwilioHook.strings(stores, "SELECT body FROM messages") == ["Call me & my wife\nat 5\nok?"])

            let get = try await client.execute(uri: "/hooks/\(source.token)", method: .get)
            #expect(get.status == .methodNotAllowed)
        }
    }
}
