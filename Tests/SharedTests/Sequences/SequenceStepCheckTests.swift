import Foundation
import Shared
import Testing

/// The checks a step passes immediately before it sends (``SequenceStepCheck``).
@Suite("Sequence step checks")
struct SequenceStepCheckTests {
    static let destination = UUID()

    /// A two-step sequence in New York, 08:00–21:00, the second step 24 h after the first with
    /// `unless: [replied, stage_changed]`; sales rules on.
    static func definition() throws -> SequenceDefinition {
        let json: JSONValue = .object([
            "time_zone": "America/New_York", "window": .object(["start": "08:00", "end": "21:00"]), "sales_rules": .bool(true),
            "steps": .array([
                .object(["destination": "SMS", "destination_id": .string(destination.uuidString)]),
                .object([
                    "destination": "SMS", "destination_id": .string(destination.uuidString), "after": "24h",
                    "unless": .array(["replied", "stage_changed"]),
                ]),
            ]),
        ])
        return try SequenceDefinition(json: json, tenantTimeZone: .gmt, defaultSalesRules: false, destinations: nil)
    }

    static let enrolled = SequenceTimeFixtures.utc("2025-06-01T14:00:00Z")  // 10:00 in New York
    static let due = SequenceTimeFixtures.utc("2025-06-02T14:00:00Z")

    static func facts(
        status: String = "active",
        nextStep: Int = 1,
        phone: String = "+12015550123",
        lastReplyAt: Date? = nil,
        operatorChangedStage: Bool = false,
        recent: [Date] = []
    ) throws -> SequenceStepFacts {
        SequenceStepFacts(
            status: status,
            exitReason: status == "active" ? nil : "replied",
            definition: try definition(),
            nextStep: nextStep,
            stepIndex: 1,
            dueAt: due,
            enrolledAt: enrolled,
            phone: phone,
            lastReplyAt: lastReplyAt,
            operatorChangedStage: operatorChangedStage,
            recentStepMessages: recent
        )
    }

    @Test func aStepDueInsideItsWindowSends() throws {
        #expect(SequenceStepCheck.decide(try Self.facts(), now: Self.due.addingTimeInterval(2), isMessage: true) == .send)
    }

    @Test func anOutagePastTheWindowsEndWaitsForTheNextMorningInsteadOfSendingAtNight() throws {
        // Due at 10:00, the workers came back at 23:30 New York time: it waits for 08:00.
        let night = SequenceTimeFixtures.utc("2025-06-03T03:30:00Z")
        guard case .wait(let until, let reason) = SequenceStepCheck.decide(try Self.facts(), now: night, isMessage: true) else {
            Issue.record("sent at night")
            return
        }
        #expect(until == SequenceTimeFixtures.utc("2025-06-03T12:00:00Z"))
        #expect(reason.contains("outside the send window") && reason.contains("2025-06-03 08:00 -04:00 America/New_York"))
    }

    @Test func aStepNotYetDueWaitsForItsDueTime() throws {
        let early = Self.due.addingTimeInterval(-60)
        #expect(SequenceStepCheck.decide(try Self.facts(), now: early, isMessage: true) == .wait(until: Self.due, reason: "not due yet"))
    }

    @Test func aReplySinceTheEnrollmentEndsIt() throws {
        let facts = try Self.facts(lastReplyAt: Self.due.addingTimeInterval(-1))
        #expect(SequenceStepCheck.decide(facts, now: Self.due, isMessage: true) == .end(status: "exited", reason: "replied"))
        let before = try Self.facts(lastReplyAt: Self.enrolled.addingTimeInterval(-3_600))
        #expect(SequenceStepCheck.decide(before, now: Self.due, isMessage: true) == .send, "a reply before the enrollment does not count")
    }

    @Test func anOperatorsStageChangeEndsIt() throws {
        let facts = try Self.facts(operatorChangedStage: true)
        #expect(SequenceStepCheck.decide(facts, now: Self.due, isMessage: true) == .end(status: "exited", reason: "stage_changed"))
    }

    @Test func aStepLaterThanTheLimitExpires() throws {
        let decision = SequenceStepCheck.decide(try Self.facts(), now: Self.due.addingTimeInterval(73 * 3_600), isMessage: true)
        #expect(decision == .end(status: "expired", reason: "step 2 was 73 h overdue (limit 72 h)"))
    }

    @Test(arguments: [("exited", 1), ("active", 0), ("active", 2)])
    func anEndedEnrollmentOrAnotherStepIsStale(status: String, nextStep: Int) throws {
        let decision = SequenceStepCheck.decide(try Self.facts(status: status, nextStep: nextStep), now: Self.due, isMessage: true)
        guard case .stale = decision else {
            Issue.record("\(status) at step \(nextStep): \(decision)")
            return
        }
    }

    @Test func aFloridaLeadGetsAtMostThreeStepMessagesIn24Hours() throws {
        let florida = "+13055550123"
        let recent = [-20, -10, -2].map { Self.due.addingTimeInterval(Double($0) * 3_600) }
        let facts = try Self.facts(phone: florida, recent: recent)
        guard case .wait(let until, let reason) = SequenceStepCheck.decide(facts, now: Self.due, isMessage: true) else {
            Issue.record("a fourth message within 24 h")
            return
        }
        #expect(until == recent[0].addingTimeInterval(24 * 3_600), "when the oldest of the three is 24 h old (inside the window)")
        #expect(reason.contains("Florida/Oklahoma"))
        #expect(SequenceStepCheck.decide(facts, now: Self.due, isMessage: false) == .send, "a CRM step is not a sales message")
        let newJersey = try Self.facts(recent: recent)
        #expect(SequenceStepCheck.decide(newJersey, now: Self.due, isMessage: true) == .send, "other states have no cap")
    }

    @Test func aFloridaLeadsWindowEndsAt20() throws {
        // 20:30 in Florida (EDT): inside 08:00–21:00 but outside the state's 08:00–20:00.
        let evening = SequenceTimeFixtures.utc("2025-06-03T00:30:00Z")
        let facts = try Self.facts(phone: "+13055550123")
        guard case .wait(let until, _) = SequenceStepCheck.decide(facts, now: evening, isMessage: true) else {
            Issue.record("sent after 20:00 to a Florida number")
            return
        }
        #expect(until == SequenceTimeFixtures.utc("2025-06-03T12:00:00Z"))
        #expect(SequenceStepCheck.decide(try Self.facts(), now: evening, isMessage: true) == .send, "a New Jersey number until 21:00")
    }
}
