import Foundation
import PostgresNIO
import Shared
import TestSupport
import Testing
import WorkerApp

@Suite("Messaging deliveries")
struct MessagingDeliveryTests {
    static let account = "AC0123456789abcdef0123456789abcdef"
    static let config: [String: JSONValue] = [
        "account_sid": .string(account), "from": .string("+15017122661"),
        "body": .string("שלום {{first_name}}, תודה שפנית ל{{tenant_name}} 👋🏽"),
    ]

    @Test func anSMSIsSentToTheStandInAndALeadWithoutAPhoneIsSkippedWithoutACall() async throws {
        try await CRMStandIn.withRunning { twilio in
            twilio.setDefault(.twilioCreated(sid: "SM11111111111111111111111111111111"))
            try await WorkerTestHarness.run { harness in
                let (_, source) = try await harness.destination(.twilioSMS, baseURL: twilio.baseURL, config: Self.config)
                // Twilio's "delivered" callback beat the worker's commit: the message row starts from it.
                try await harness.stores.postgres.query(
                    """
                    INSERT INTO message_status_events (channel, provider_message_id, status, status_rank)
                    VALUES ('sms', 'SM11111111111111111111111111111111', 'delivered', 4)
                    """
                )
                let ids = try await harness.ingest(
                    [
                        LeadInput(fields: [.firstName: "דני", .phone: "+12015550123"]),
                        LeadInput(fields: [.firstName: "No", .email: "no-phone@example.com"]),
                        LeadInput(fields: [.firstName: "Bad", .email: "bad-phone@example.com", .phone: "12"]),
                    ],
                    source: source
                )
                #expect(ids.count == 3)
                let counts = try await harness.withWorkers { _ in
                    try await harness.waitForStatuses { $0["succeeded"] == 1 && $0["skipped"] == 2 }
                }
                #expect(counts == ["succeeded": 1, "skipped": 2])
                #expect(twilio.requests.count == 1, "skipped leads are never sent")
                let sent = Int64(try await harness.count("SELECT id::int FROM deliveries WHERE status = 'succeeded'"))
                let unsent = ids.filter { $0 != sent }
                let request = try #require(twilio.requests.first)
                #expect(TwilioRequestCheck.problems(request, accountSid: Self.account, authToken: "token-123") == [])
                let body = TwilioRequestCheck.field("Body", in: request.body) ?? ""
                #expect(Array(body.utf8) == Array("שלום דני, תודה שפנית לWorker tenant 👋🏽".utf8), "byte-exact Hebrew and emoji")
                #expect(request.header("I-Twilio-Idempotency-Token") == "leadrelay-d\(sent)")

                let attempt = try await harness.stores.postgres.query(
                    """
                    SELECT a.message_segments::int, a.message_encoding, a.provider_message_id, d.external_id
                    FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id WHERE d.id = \(sent)
                    """
                ).decode((Int?, String?, String?, String?).self).rows()
                #expect(attempt.count == 1)
                #expect(attempt.first?.0 == 1 && attempt.first?.1 == "ucs2")
                #expect(attempt.first?.2 == "SM11111111111111111111111111111111" && attempt.first?.3 == attempt.first?.2)

                let skipped = try await harness.stores.postgres.query(
                    """
                    SELECT last_error_class, last_error, attempts, finished_at IS NOT NULL FROM deliveries
                    WHERE id = ANY(\(unsent)::bigint[]) ORDER BY id
                    """
                ).decode((String, String, Int, Bool).self).rows()
                #expect(skipped.map(\.0) == ["no_address", "no_address"])
                #expect(
                    Set(skipped.map(\.1)) == [
                        "SMS needs a phone; the lead has none", "SMS needs a phone in E.164; the lead's phone could not be normalized",
                    ]
                )
                #expect(skipped.allSatisfy { $0.2 == 0 && $0.3 }, "no attempt counted, finished")
                #expect(
                    try await harness.count("SELECT count(*)::int FROM delivery_attempts WHERE delivery_id = ANY(\(unsent)::bigint[])") == 0
                )

                let conversation = try await harness.stores.postgres.query(
                    """
                    SELECT m.direction, m.channel, m.address, m.sender, m.body, m.status, l.stage, l.last_contacted_at IS NOT NULL,
                           (SELECT count(*)::int FROM lead_stage_changes c WHERE c.lead_id = l.id AND c.to_stage = 'contacted')
                    FROM messages m JOIN leads l ON l.id = m.lead_id WHERE m.delivery_id = \(sent)
                    """
                ).decode((String, String, String, String?, String, String, String, Bool, Int).self).rows()
                let row = try #require(conversation.first)
                #expect(row.0 == "out" && row.1 == "sms" && row.2 == "+12015550123" && row.3 == "+15017122661")
                #expect(Array(row.4.utf8) == Array(body.utf8))
                #expect(row.5 == "delivered", "the early callback is folded in")
                #expect(row.6 == "contacted" && row.7 && row.8 == 1)
                #expect(try await harness.count("SELECT count(*)::int FROM leads WHERE stage = 'new'") == 2, "skipped leads were not contacted")

                let listed = try await DeliveryOperations(client: harness.stores.postgres, logger: harness.logger)
                    .list(DeliveryFilter(status: "skipped"))
                #expect(listed.count == 2)
            }
        }
    }

    @Test func twilioErrorsEndTheDeliveryAsTheReferenceSays() async throws {
        try await CRMStandIn.withRunning { twilio in
            twilio.enqueue(
                .twilioError(status: 429, code: 20429, message: "Too Many Requests"),
                .twilioError(status: 400, code: 21211, message: "The 'To' number +12015550124 is not a valid phone number.")
            )
            try await WorkerTestHarness.run { harness in
                let (_, source) = try await harness.destination(.twilioSMS, baseURL: twilio.baseURL, config: Self.config) {
                    $0.retryScheduleSeconds = [1]
                }
                let ids = try await harness.ingest([LeadInput(fields: [.firstName: "Dan", .phone: "+12015550124"])], source: source)
                let counts = try await harness.withWorkers { _ in try await harness.waitForStatuses { $0["dead"] == 1 } }
                #expect(counts == ["dead": 1])
                let outcomes = try await harness.stores.postgres.query(
                    "SELECT outcome, error_class FROM delivery_attempts WHERE delivery_id = \(ids[0]) ORDER BY attempt"
                ).decode((String, String).self).rows()
                #expect(outcomes.map { "\($0.0) \($0.1)" } == ["retryable rate_limited", "permanent invalid_lead"])
                #expect(try await harness.count("SELECT count(*)::int FROM deliveries WHERE last_error LIKE 'Twilio 21211:%'") == 1)
            }
        }
    }
}
