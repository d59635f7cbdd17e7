import Foundation
import PostgresNIO
import Shared
import TestSupport
import Testing
import WorkerApp

/// Issue 19, "Done when": the seed's flow once on the real clock (no manual clock), against the
/// WhatsApp and monday stand-ins, with a follow-up 15 s after the status step instead of 24 h. Its
/// window (Asia/Jerusalem local time) opens at the start of the minute after next, so both leads
/// enroll while it is closed. Lead 111 never answers: welcome, "נשלחה הודעה", the status read, the
/// follow-up, "אין מענה 1". Lead 222 replies once its follow-up is scheduled: "נקבעה שיחת מכירה",
/// and its follow-up is skipped. Takes about two minutes. Only facts that cannot depend on the
/// machine's speed are asserted: nothing before the opening, the follow-up not before 15 s after
/// the status step, each message and label once.
@Suite("Sequence in real time")
struct SequenceRealTimeTests {
    typealias Flow = SequenceFlowTests
    /// The window `[opening, opening + 30 min)` as local `HH:MM` texts in `zone`; its end is
    /// `24:00` when it would pass midnight (windows over midnight are not supported).
    static func window(opening: Date, in zone: TimeZone) -> (start: String, end: String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.hour, .minute], from: opening)
        let start = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        let end = min(start + 30, 24 * 60)
        func text(_ minutes: Int) -> String { String(format: "%02d:%02d", minutes / 60, minutes % 60) }
        return (text(start), text(end))
    }

    @Test func theSeedFlowWaitsForAWindowOpeningAMinuteLaterAndFollowsUpSecondsAfter() async throws {
        let zone = try #require(TimeZone(identifier: "Asia/Jerusalem"))
        // The start of the minute after next: 60 to 120 s away, a whole local minute (Israel is a whole-hour offset).
        let opening = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 60).rounded(.down) * 60 + 120)
        let window = Self.window(opening: opening, in: zone)
        try await CRMStandIn.withRunning { graph in
            graph.setDefault(.whatsAppAccepted(id: "wamid.any"))
            try await CRMStandIn.withRunning { monday in
                monday.respond { request in request.bodyText.contains("items(ids:") ? Flow.mondayRead(Flow.sent) : nil }
                monday.setDefault(Flow.writeOK)
                try await WorkerTestHarness.run { harness in
                    let flow = try await Flow.makeFlow(harness, graph: graph, monday: monday, followUpAfter: "15s", window: window)
                    try await harness.ingest(
                        [Flow.lead(item: "111", phone: "+972501110001"), Flow.lead(item: "222", phone: "+972502220002")],
                        source: flow.source
                    )
                    try await harness.withWorkers { _ in
                        // Both welcomes are scheduled for the opening, not for the enrollment's time.
                        let waiting = try await harness.waitForStatuses(timeout: .seconds(30)) { $0["scheduled"] == 2 }
                        #expect(waiting == ["scheduled": 2])
                        let due = try await harness.stores.postgres.query(
                            "SELECT DISTINCT next_attempt_at FROM deliveries WHERE step_index = 0",
                            logger: harness.logger
                        ).decode(Date.self).rows()
                        #expect(due == [opening], "window \(window.start)–\(window.end) Asia/Jerusalem")
                        #expect(Date() < opening, "the window was still closed when this was checked")
                        #expect(graph.requests.isEmpty && monday.requests.isEmpty, "nothing sent while the window is closed")

                        // Lead 222 answers once its follow-up waits (a reply before that leaves no step to skip).
                        let followUpWaits: PostgresQuery = """
                            SELECT count(*)::int FROM deliveries d JOIN leads l ON l.id = d.lead_id
                            WHERE l.external_id = 'monday:222' AND d.step_index = 2 AND d.status = 'scheduled'
                            """
                        let deadline = ContinuousClock.now + .seconds(240)
                        while try await harness.count(followUpWaits) == 0, ContinuousClock.now < deadline {
                            try await Task.sleep(for: .milliseconds(100))
                        }
                        #expect(try await harness.count(followUpWaits) == 1)
                        try await harness.stores.postgres.execute(
                            "UPDATE leads SET last_reply_at = now() WHERE external_id = 'monday:222'",
                            logger: harness.logger
                        )
                        try await harness.waitForEnrollments { $0 == ["completed": 1, "exited": 1] }
                        try await harness.waitForStatuses(timeout: .seconds(60)) { $0["succeeded"] == 7 && $0["skipped"] == 1 }
                    }

                    let welcomes = graph.requests.filter { $0.bodyText.contains("lead_welcome") }
                    let followUps = graph.requests.filter { $0.bodyText.contains("lead_follow_up") }
                    #expect(welcomes.count == 2 && followUps.count == 1 && graph.requests.count == 3)
                    #expect(followUps.first?.bodyText.contains("972501110001") == true, "only the lead that did not reply is followed up")
                    #expect(graph.requests.allSatisfy { $0.receivedAt >= opening }, "no message before the window opened")

                    let writes = monday.requests.filter { !$0.bodyText.contains("items(ids:") }
                    let labels = writes.compactMap { $0.jsonObject?["variables"]?.objectMembers?["value"]?.scalarText }
                    #expect(labels.filter { $0 == Flow.sent }.count == 2)
                    #expect(labels.filter { $0 == Flow.noAnswer }.count == 1)
                    #expect(labels.filter { $0 == Flow.meetingSet }.count == 1)
                    #expect(monday.requests.filter { $0.bodyText.contains("items(ids:") }.count == 1, "the status is read before the follow-up")

                    // The follow-up came at least 15 s after lead 111's status step.
                    let times = try await harness.stores.postgres.query(
                        """
                        SELECT d.step_index::int, min(a.started_at) FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id
                        JOIN leads l ON l.id = d.lead_id WHERE l.external_id = 'monday:111' AND d.step_index IN (1, 2) GROUP BY 1 ORDER BY 1
                        """,
                        logger: harness.logger
                    ).decode((Int, Date).self).rows()
                    #expect(times.count == 2)
                    if times.count == 2 { #expect(times[1].1 >= times[0].1.addingTimeInterval(15), "follow-up \(times)") }
                    let firstSent = try await harness.stores.postgres.query(
                        "SELECT min(started_at) FROM delivery_attempts",
                        logger: harness.logger
                    ).decode(Date.self).rows()
                    #expect(firstSent.allSatisfy { $0 >= opening }, "no attempt started before the opening")
                    let ended = try await harness.stores.postgres.query(
                        "SELECT coalesce(e.exit_reason, '') FROM sequence_enrollments e WHERE e.status = 'exited'",
                        logger: harness.logger
                    ).decode(String.self).rows()
                    #expect(ended == ["replied"])
                }
            }
        }
    }
}
