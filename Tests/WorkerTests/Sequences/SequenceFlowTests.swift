import Foundation
import PostgresNIO
import Shared
import TestSupport
import Testing
import WorkerApp

/// The seed's flow (issue 19) through real workers against WhatsApp and monday stand-ins, with a
/// clock the test drives: welcome now, monday "נשלחה הודעה", 24 h later inside 08:00–21:00
/// Asia/Jerusalem — unless the lead replied, and only if the item still says "נשלחה הודעה" — a
/// follow-up, then "אין מענה 1"; a reply sets "נקבעה שיחת מכירה".
@Suite("Sequence flow")
struct SequenceFlowTests {
    static let sent = "נשלחה הודעה"
    static let noAnswer = "אין מענה 1"
    static let meetingSet = "נקבעה שיחת מכירה"
    static let writeOK = StandInAnswer.json(200, #"{"data":{"change_simple_column_value":{"id":"1"}}}"#)

    static func mondayRead(_ label: String?) -> StandInAnswer {
        let text = label.map { "\"\($0)\"" } ?? "null"
        return .json(200, #"{"data":{"items":[{"id":"1","column_values":[{"id":"status","text":\#(text)}]}]}}"#)
    }

    /// The flow's destinations, its sequence, and a source whose new leads enter it.
    struct Flow {
        var source: Source
        var sequence: FollowUpSequence
    }

    /// The follow-up comes `followUpAfter` after the status step ("24h" in the seed), inside
    /// `window` (08:00–21:00 in the seed).
    static func makeFlow(
        _ harness: WorkerTestHarness,
        graph: CRMStandIn,
        monday: CRMStandIn,
        followUpAfter: String = "24h",
        window: (start: String, end: String) = ("08:00", "21:00")
    ) async throws -> Flow {
        let whatsApp: [String: JSONValue] = [
            "phone_number_id": .string("106540352242922"), "template": .string("lead_welcome"), "language": .string("he"),
            "parameters": .array([.string("{{first_name}}")]),
        ]
        var followUpConfig = whatsApp
        followUpConfig["template"] = .string("lead_follow_up")
        func mondayConfig(_ label: String) -> [String: JSONValue] {
            ["board_id": .string("9876543210"), "column_id": .string("status"), "label": .string(label), "api_base_url": .string(monday.baseURL)]
        }
        var names: [String: Destination] = [:]
        for (name, kind, config, base) in [
            ("WhatsApp welcome", DestinationKind.whatsApp, whatsApp, graph.baseURL),
            ("WhatsApp follow-up", .whatsApp, followUpConfig, graph.baseURL),
            ("Monday: sent", .mondayStatus, mondayConfig(sent), nil),
            ("Monday: no answer 1", .mondayStatus, mondayConfig(noAnswer), nil),
            ("Monday: meeting set", .mondayStatus, mondayConfig(meetingSet), nil),
        ] {
            let (destination, _) = try await harness.destination(kind, baseURL: base, config: config) { $0.name = name }
            names[name] = destination
        }
        let json = try JSONValue.parse(
            """
            {"time_zone": "Asia/Jerusalem", "window": {"start": "\(window.start)", "end": "\(window.end)"},
             "steps": [{"destination": "WhatsApp welcome"},
                       {"destination": "Monday: sent"},
                       {"destination": "WhatsApp follow-up", "after": "\(followUpAfter)", "unless": ["replied"],
                        "only_if": {"crm_status": "\(sent)", "via": "Monday: sent"}},
                       {"destination": "Monday: no answer 1"}],
             "on_reply": ["Monday: meeting set"]}
            """
        )
        let sequence = try await harness.createSequence(json, name: "Seed flow", destinations: Array(names.values))
        return Flow(source: try await harness.newSource(entering: sequence), sequence: sequence)
    }

    /// A lead the monday webhook brought in (item `item`), with an Israeli phone.
    static func lead(item: String, phone: String) -> LeadInput {
        LeadInput(fields: [.firstName: "משה", .phone: phone, .externalId: "monday:\(item)"])
    }

    static func utc(_ text: String) throws -> Date {
        try #require(try? Date(text, strategy: .iso8601))
    }

    @Test func theSeedFlowRunsStepByStepInsideTheWindowAndAReplyStopsIt() async throws {
        // 2025-03-27 20:30 in Israel (UTC+2), the day before the spring change.
        let start = try Self.utc("2025-03-27T18:30:00Z")
        let clock = ManualClock(start)
        try await CRMStandIn.withRunning { graph in
            graph.setDefault(.whatsAppAccepted(id: "wamid.any"))
            try await CRMStandIn.withRunning { monday in
                monday.respond { request in
                    guard request.bodyText.contains("items(ids:") else { return nil }
                    return Self.mondayRead(Self.sent)
                }
                monday.setDefault(Self.writeOK)
                try await WorkerTestHarness.run { harness in
                    let flow = try await Self.makeFlow(harness, graph: graph, monday: monday)
                    try await harness.ingest(
                        [Self.lead(item: "111", phone: "+972501110001"), Self.lead(item: "222", phone: "+972502220002")],
                        source: flow.source
                    )
                    #expect(try await harness.count("SELECT count(*)::int FROM sequence_enrollments WHERE status = 'active'") == 2)
                    try await harness.stores.postgres.execute(
                        "UPDATE sequence_enrollments SET enrolled_at = \(start)",
                        logger: harness.logger
                    )
                    var tuning = WorkerTestHarness.fastTuning
                    tuning.clock = { clock.now }
                    try await harness.withWorkers(tuning: tuning) { _ in
                        // Steps 1 and 2 at once for both leads; step 3 scheduled 24 h later, moved into the window.
                        try await harness.waitForStatuses { $0["succeeded"] == 4 && ($0["scheduled"] ?? 0) + ($0["retrying"] ?? 0) == 2 }
                        let dues = try await harness.stores.postgres.query(
                            "SELECT DISTINCT next_due_at FROM sequence_enrollments WHERE status = 'active'"
                        ).decode(Date.self).rows()
                        // 20:30 + 24 h across the change = 21:30 (UTC+3), after the window: the next day at 08:00.
                        #expect(dues == [try Self.utc("2025-03-29T05:00:00Z")])

                        // Lead 222 replies: its enrollment ends, its follow-up is skipped, "meeting set" goes out.
                        try await harness.stores.postgres.execute(
                            "UPDATE leads SET last_reply_at = now() WHERE external_id = 'monday:222'",
                            logger: harness.logger
                        )
                        try await harness.waitForStatuses { $0["succeeded"] == 5 && $0["skipped"] == 1 }

                        // Just before 08:00 the follow-up waits; at 08:00:05 it goes.
                        clock.set(try Self.utc("2025-03-29T04:59:00Z"))
                        try await Task.sleep(for: .seconds(1))
                        #expect(graph.requests.count == 2, "nothing sent before the window opens")
                        clock.set(try Self.utc("2025-03-29T05:00:05Z"))
                        try await harness.waitForStatuses { $0["succeeded"] == 7 && $0["skipped"] == 1 }
                        try await harness.waitForEnrollments { $0 == ["completed": 1, "exited": 1] }
                    }

                    let templates = graph.requests.compactMap { $0.jsonObject?["template"]?.objectMembers?["name"]?.scalarText }
                    #expect(templates.sorted() == ["lead_follow_up", "lead_welcome", "lead_welcome"])
                    let followUp = try #require(graph.requests.first { $0.bodyText.contains("lead_follow_up") })
                    #expect(followUp.bodyText.contains("972501110001"), "only the lead that did not reply gets the follow-up")

                    let labels = monday.requests.compactMap { $0.jsonObject?["variables"]?.objectMembers?["value"]?.scalarText }
                    #expect(labels.filter { $0 == Self.sent }.count == 2)
                    #expect(labels.filter { $0 == Self.meetingSet }.count == 1)
                    #expect(labels.filter { $0 == Self.noAnswer }.count == 1)
                    #expect(monday.requests.filter { $0.bodyText.contains("items(ids:") }.count == 1, "the status is read before the follow-up")

                    let ended = try await harness.stores.postgres.query(
                        """
                        SELECT l.external_id, e.status, coalesce(e.exit_reason, ''), e.next_step FROM sequence_enrollments e
                        JOIN leads l ON l.id = e.lead_id ORDER BY l.external_id
                        """
                    ).decode((String, String, String, Int).self).rows()
                    #expect(ended.map(\.1) == ["completed", "exited"])
                    #expect(ended.last?.2 == "replied")
                    #expect(ended.first?.3 == 4)
                    let skipped = try await harness.stores.postgres.query(
                        "SELECT last_error_class, step_index::int FROM deliveries WHERE status = 'skipped'"
                    ).decode((String?, Int).self).rows()
                    #expect(skipped.count == 1 && skipped.first?.0 == "sequence_ended" && skipped.first?.1 == 2)
                    // Each step exactly once per enrollment.
                    #expect(
                        try await harness.count(
                            "SELECT count(*)::int FROM (SELECT enrollment_id, step_index FROM deliveries GROUP BY 1, 2 HAVING count(*) > 1) x"
                        ) == 0
                    )
                }
            }
        }
    }

    /// Runs the flow for one lead (item `item`) enrolled at `start`, the monday item reading
    /// `label` (answered after `readDelay`), with workers on a clock the test moves; `body` runs
    /// while they work, with the WhatsApp and the monday stand-ins.
    static func withOneLead(
        start: Date,
        item: String,
        mondayLabel label: String,
        readDelay: Duration? = nil,
        _ body: @escaping @Sendable (WorkerTestHarness, ManualClock, CRMStandIn, CRMStandIn) async throws -> Void
    ) async throws {
        let clock = ManualClock(start)
        try await CRMStandIn.withRunning { graph in
            graph.setDefault(.whatsAppAccepted(id: "wamid.any"))
            try await CRMStandIn.withRunning { monday in
                monday.respond { request in
                    guard request.bodyText.contains("items(ids:") else { return nil }
                    var answer = Self.mondayRead(label)
                    answer.delay = readDelay
                    return answer
                }
                monday.setDefault(Self.writeOK)
                try await WorkerTestHarness.run { harness in
                    let flow = try await Self.makeFlow(harness, graph: graph, monday: monday)
                    try await harness.ingest([Self.lead(item: item, phone: "+97250\(item)0000")], source: flow.source)
                    try await harness.stores.postgres.execute("UPDATE sequence_enrollments SET enrolled_at = \(start)", logger: harness.logger)
                    var tuning = WorkerTestHarness.fastTuning
                    tuning.clock = { clock.now }
                    try await harness.withWorkers(tuning: tuning) { _ in
                        try await harness.waitForStatuses { $0["succeeded"] == 2 && ($0["scheduled"] ?? 0) + ($0["retrying"] ?? 0) == 1 }
                        try await body(harness, clock, graph, monday)
                    }
                }
            }
        }
    }

    @Test func aStatusChangedInTheCRMStopsTheFollowUpAsHumanIntervention() async throws {
        let start = try Self.utc("2025-06-01T09:00:00Z")  // 12:00 in Israel
        try await Self.withOneLead(start: start, item: "333", mondayLabel: "בטיפול") { harness, clock, graph, _ in
            clock.set(start.addingTimeInterval(24 * 3_600 + 60))
            try await harness.waitForEnrollments { $0 == ["exited": 1] }
            let reason = try await harness.stores.postgres.query("SELECT exit_reason FROM sequence_enrollments").decode(String.self).rows()
            #expect(reason == [#"crm_status_changed: expected "נשלחה הודעה", found "בטיפול" (human intervention detected)"#])
            #expect(graph.requests.count == 1, "no follow-up after a person changed the item")
            // The step's own delivery is closed by the worker's result commit, just after the exit.
            #expect(try await harness.waitForStatuses(timeout: .seconds(30)) { $0["skipped"] == 1 }["skipped"] == 1)
        }
    }

    /// "A reply that lands a second before the step must stop it": the reply arrives while the
    /// worker, already holding the follow-up, reads the item's status (2 s). The enrollment is
    /// read again after that round trip, so the follow-up is not sent.
    @Test func aReplyDuringTheStatusReadStopsTheFollowUp() async throws {
        let start = try Self.utc("2025-06-01T09:00:00Z")
        try await Self.withOneLead(start: start, item: "555", mondayLabel: Self.sent, readDelay: .seconds(2)) { harness, clock, graph, monday in
            clock.set(start.addingTimeInterval(24 * 3_600 + 60))
            let deadline = ContinuousClock.now + .seconds(60)
            while !monday.requests.contains(where: { $0.bodyText.contains("items(ids:") }), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            try await harness.stores.postgres.execute("UPDATE leads SET last_reply_at = now()", logger: harness.logger)
            try await harness.waitForEnrollments { $0 == ["exited": 1] }
            #expect(try await harness.waitForStatuses(timeout: .seconds(30)) { $0["skipped"] == 1 }["skipped"] == 1)
            try await Task.sleep(for: .seconds(1))
            #expect(graph.requests.count == 1, "only the welcome: the follow-up was held when the reply landed")
            let skipped = try await harness.stores.postgres.query(
                "SELECT coalesce(last_error, '') FROM deliveries WHERE status = 'skipped'"
            ).decode(String.self).rows()
            #expect(skipped.first?.contains("replied") == true, "\(skipped)")
        }
    }

    @Test func aStepOverdueBeyondTheLimitExpiresInsteadOfSendingDaysLate() async throws {
        let start = try Self.utc("2025-06-01T09:00:00Z")
        try await Self.withOneLead(start: start, item: "444", mondayLabel: Self.sent) { harness, clock, graph, _ in
            // The worker fleet was down for four days: 24 h + 96 h is more than 72 h late.
            clock.set(start.addingTimeInterval(120 * 3_600))
            try await harness.waitForEnrollments { $0 == ["expired": 1] }
            #expect(graph.requests.count == 1)
            let reason = try await harness.stores.postgres.query("SELECT exit_reason FROM sequence_enrollments").decode(String.self).rows()
            #expect(reason.first?.hasPrefix("step 3 was 96 h overdue") == true)
        }
    }
}

extension WorkerTestHarness {
    /// Waits (up to 60 s) until `condition` holds for the enrollment counts by status.
    @discardableResult
    func waitForEnrollments(_ condition: ([String: Int]) -> Bool) async throws -> [String: Int] {
        let deadline = ContinuousClock.now + .seconds(60)
        var counts: [String: Int] = [:]
        repeat {
            counts = [:]
            for try await (status, count) in try await stores.postgres.query(
                "SELECT status, count(*)::int FROM sequence_enrollments GROUP BY status",
                logger: logger
            ).decode((String, Int).self) {
                counts[status] = count
            }
            if condition(counts) { return counts }
            try await Task.sleep(for: .milliseconds(100))
        } while ContinuousClock.now < deadline
        return counts
    }
}
