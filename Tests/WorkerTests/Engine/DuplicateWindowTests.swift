import Foundation
import PostgresNIO
import Shared
import TestSupport
import Testing
import WorkerApp

/// A retry after an attempt that may have sent the message: Twilio is asked first, WhatsApp sends
/// again and flags the attempt (issue 18, "Exactly once").
@Suite("Duplicate window")
struct DuplicateWindowTests {
    static let account = "AC0123456789abcdef0123456789abcdef"
    static let twilioConfig: [String: JSONValue] = [
        "account_sid": .string(account), "from": .string("+15017122661"), "body": .string("שלום {{first_name}} 👋🏽"),
    ]
    static let whatsAppConfig: [String: JSONValue] = [
        "phone_number_id": .string("106540352242922"), "template": .string("lead_welcome"), "language": .string("he"),
    ]
    static let rendered = "שלום דני 👋🏽"
    static let phone = "+12015550123"

    /// Twilio's 201, answered only after the destination's 2 s timeout: the message was created, the worker never hears so.
    static let createdTooLate = StandInAnswer.twilioCreated(sid: "SMfirst0000000000000000000000001").delayed(by: .seconds(6))

    /// An attempt row: number, outcome, error class, error message, provider id, possible_duplicate.
    typealias AttemptRow = (Int, String, String?, String?, String?, Bool?)

    static func attempts(_ harness: WorkerTestHarness, delivery: Int64) async throws -> [AttemptRow] {
        try await harness.stores.postgres.query(
            """
            SELECT attempt, outcome, error_class, error_message, provider_message_id, possible_duplicate
            FROM delivery_attempts WHERE delivery_id = \(delivery) ORDER BY started_at, id
            """
        ).decode(AttemptRow.self).rows()
    }

    /// Sends one lead through a fast-timing destination of `kind` and waits until its delivery is `status`.
    static func deliver(
        _ kind: DestinationKind,
        config: [String: JSONValue],
        baseURL: String,
        harness: WorkerTestHarness,
        until status: String,
        maxAttempts: Int = 6
    ) async throws -> Int64 {
        let (_, source) = try await harness.destination(kind, baseURL: baseURL, config: config) {
            $0.timeoutMilliseconds = 2_000
            $0.retryScheduleSeconds = [1]
            $0.maxAttempts = maxAttempts
        }
        let ids = try await harness.ingest([LeadInput(fields: [.firstName: "דני", .phone: Self.phone])], source: source)
        let counts = try await harness.withWorkers { _ in try await harness.waitForStatuses { $0[status] == 1 } }
        #expect(counts == [status: 1])
        return try #require(ids.first)
    }

    /// The lead's message as Twilio lists it, created `createdSecondsAgo` before now.
    static func listed(_ sid: String, createdSecondsAgo: TimeInterval) -> StandInAnswer.TwilioListedMessage {
        StandInAnswer.TwilioListedMessage(sid: sid, to: phone, body: rendered, dateCreated: Date().addingTimeInterval(-createdSecondsAgo))
    }

    static func posts(_ standIn: CRMStandIn) -> [RecordedRequest] { standIn.requests.filter { $0.method == "POST" } }
    static func lists(_ standIn: CRMStandIn) -> [RecordedRequest] { standIn.requests.filter { $0.method == "GET" } }

    /// `leadrelay_possible_duplicate_sends_total{kind=…}` as exposed now.
    static func possibleDuplicateSends(kind: String) -> Double {
        let text = String(decoding: LeadRelayMetrics.shared.exposition(), as: UTF8.self)
        let prefix = #"leadrelay_possible_duplicate_sends_total{kind="\#(kind)"} "#
        return text.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Double($0.dropFirst(prefix.count)) } ?? 0
    }

    @Test func aTwilioRetryFindsTheMessageTheTimedOutAttemptCreatedAndDoesNotSendAgain() async throws {
        try await CRMStandIn.withRunning { twilio in
            let listed = Self.listed("SMfirst0000000000000000000000001", createdSecondsAgo: 0)
            twilio.enqueue(Self.createdTooLate, .twilioMessageList([listed]))
            twilio.setDefault(.twilioCreated(sid: "SMsecond000000000000000000000002"))
            try await WorkerTestHarness.run { harness in
                let id = try await Self.deliver(.twilioSMS, config: Self.twilioConfig, baseURL: twilio.baseURL, harness: harness, until: "succeeded")
                #expect(Self.posts(twilio).count == 1, "exactly one message created")
                let list = try #require(Self.lists(twilio).first)
                #expect(list.path == "/2010-04-01/Accounts/\(Self.account)/Messages.json")
                let query = list.query ?? ""
                #expect(query == "To=%2B12015550123&From=%2B15017122661&PageSize=50", "no DateSent filter: a queued message has no send date")
                let rows = try await Self.attempts(harness, delivery: id)
                #expect(rows.map(\.1) == ["retryable", "succeeded"])
                #expect(rows.first?.2 == "timeout" && rows.first?.5 == nil)
                #expect(rows.last?.3 == "found the message sent by the attempt that got no answer; not sent again")
                #expect(rows.last?.4 == "SMfirst0000000000000000000000001" && rows.last?.5 == false)
                let delivery = try await harness.stores.postgres.query(
                    "SELECT external_id, maybe_sent_since IS NULL FROM deliveries WHERE id = \(id)"
                ).decode((String?, Bool).self).rows()
                #expect(delivery.first?.0 == "SMfirst0000000000000000000000001" && delivery.first?.1 == true)
                #expect(
                    try await harness.count(
                        "SELECT count(*)::int FROM messages WHERE delivery_id = \(id) AND provider_message_id = 'SMfirst0000000000000000000000001'"
                    ) == 1
                )
            }
        }
    }

    @Test func aTwilioCheckThatFindsNothingSendsOnceMoreWithoutAFlag() async throws {
        try await CRMStandIn.withRunning { twilio in
            let older = Self.listed("SMolder000000000000000000000000", createdSecondsAgo: 3_600)
            twilio.enqueue(Self.createdTooLate, .twilioMessageList([older]))
            twilio.setDefault(.twilioCreated(sid: "SMsecond000000000000000000000002"))
            try await WorkerTestHarness.run { harness in
                let id = try await Self.deliver(.twilioSMS, config: Self.twilioConfig, baseURL: twilio.baseURL, harness: harness, until: "succeeded")
                #expect(Self.posts(twilio).count == 2 && Self.lists(twilio).count == 1)
                let rows = try await Self.attempts(harness, delivery: id)
                #expect(rows.map(\.1) == ["retryable", "succeeded"])
                #expect(rows.last?.4 == "SMsecond000000000000000000000002")
                #expect(rows.last?.5 == false, "the check proved the first attempt had not sent it")
                #expect(rows.last?.3 == nil)
            }
        }
    }

    @Test func aFailedTwilioCheckSendsAgainFlaggedAsAPossibleDuplicate() async throws {
        try await CRMStandIn.withRunning { twilio in
            twilio.enqueue(Self.createdTooLate, .serverError(500))
            twilio.setDefault(.twilioCreated(sid: "SMsecond000000000000000000000002"))
            try await WorkerTestHarness.run { harness in
                let before = Self.possibleDuplicateSends(kind: "twilio_sms")
                let id = try await Self.deliver(.twilioSMS, config: Self.twilioConfig, baseURL: twilio.baseURL, harness: harness, until: "succeeded")
                #expect(Self.posts(twilio).count == 2 && Self.lists(twilio).count == 1)
                let rows = try await Self.attempts(harness, delivery: id)
                #expect(rows.map(\.1) == ["retryable", "succeeded"])
                #expect(rows.last?.5 == true)
                #expect(
                    rows.last?.3 == "sent again, possibly a duplicate: the check could not tell: Twilio answered HTTP 500 to the message list"
                )
                #expect(Self.possibleDuplicateSends(kind: "twilio_sms") >= before + 1)
            }
        }
    }

    @Test func aWhatsAppRetryAfterATimeoutSendsAgainFlaggedAndCounted() async throws {
        try await CRMStandIn.withRunning { graph in
            graph.enqueue(StandInAnswer.whatsAppAccepted(id: "wamid.first").delayed(by: .seconds(6)))
            graph.setDefault(.whatsAppAccepted(id: "wamid.second"))
            try await WorkerTestHarness.run { harness in
                let before = Self.possibleDuplicateSends(kind: "whatsapp")
                let id = try await Self.deliver(.whatsApp, config: Self.whatsAppConfig, baseURL: graph.baseURL, harness: harness, until: "succeeded")
                #expect(Self.posts(graph).count == 2 && Self.lists(graph).isEmpty, "no check: Meta cannot be asked")
                let rows = try await Self.attempts(harness, delivery: id)
                #expect(rows.map(\.1) == ["retryable", "succeeded"])
                #expect(rows.first?.2 == "timeout" && rows.first?.5 == nil)
                #expect(rows.last?.4 == "wamid.second" && rows.last?.5 == true)
                #expect(Self.possibleDuplicateSends(kind: "whatsapp") >= before + 1)
            }
        }
    }

    @Test func aRefusedConnectionWroteNothingSoTheRetryNeitherChecksNorFlags() async throws {
        try await WorkerTestHarness.run { harness in
            // Nothing listens on port 1: every connect is refused.
            let id = try await Self.deliver(
                .twilioSMS,
                config: Self.twilioConfig,
                baseURL: "http://127.0.0.1:1",
                harness: harness,
                until: "dead",
                maxAttempts: 2
            )
            let rows = try await Self.attempts(harness, delivery: id)
            #expect(rows.map(\.2) == ["connection", "connection"])
            #expect(rows.allSatisfy { $0.5 == nil }, "no earlier attempt may have sent it")
            #expect(try await harness.count("SELECT count(*)::int FROM deliveries WHERE id = \(id) AND maybe_sent_since IS NULL") == 1)
        }
    }

    @Test func aClaimTakenOverFromAVanishedWorkerChecksTwilioFirst() async throws {
        try await CRMStandIn.withRunning { twilio in
            let listed = Self.listed("SMvanished0000000000000000000003", createdSecondsAgo: 600)
            twilio.setDefault(.twilioMessageList([listed]))
            try await WorkerTestHarness.run { harness in
                let (_, source) = try await harness.destination(.twilioSMS, baseURL: twilio.baseURL, config: Self.twilioConfig)
                let ids = try await harness.ingest([LeadInput(fields: [.firstName: "דני", .phone: Self.phone])], source: source)
                // A worker claimed it 11 minutes ago, maybe sent it, and died before committing.
                try await harness.stores.postgres.query(
                    """
                    UPDATE deliveries SET status = 'processing', claimed_by = 'vanished-worker',
                        claimed_at = now() - interval '11 minutes', updated_at = now() - interval '11 minutes'
                    WHERE id = ANY(\(ids)::bigint[])
                    """
                )
                let counts = try await harness.withWorkers { _ in try await harness.waitForStatuses { $0["succeeded"] == 1 } }
                #expect(counts == ["succeeded": 1])
                #expect(Self.posts(twilio).isEmpty, "the vanished worker's message was found: nothing sent again")
                let rows = try await Self.attempts(harness, delivery: try #require(ids.first))
                // One attempt, unless a loaded machine timed out the list check first: such an
                // attempt failed without sending (the stand-in saw no POST) and the retry checks again.
                #expect(rows.last?.4 == "SMvanished0000000000000000000003" && rows.last?.5 == false, "attempts: \(rows)")
                #expect(rows.dropLast().allSatisfy { $0.1 != "succeeded" && $0.4 == nil }, "attempts: \(rows)")
            }
        }
    }
}
