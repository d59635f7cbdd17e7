import Foundation
import Shared
import Testing

@Suite("Step delays, send decisions and sales jurisdictions")
struct StepTimingTests {
    typealias F = SequenceTimeFixtures

    @Test(arguments: [
        ("24h", StepDelay.elapsed(seconds: 86_400)), ("30m", .elapsed(seconds: 1_800)), ("90s", .elapsed(seconds: 90)),
        ("1h30m", .elapsed(seconds: 5_400)), ("2d", .elapsed(seconds: 172_800)), ("0", .immediately), (" 24H ", .elapsed(seconds: 86_400)),
    ])
    func durationsParse(_ text: String, _ delay: StepDelay) throws {
        #expect(try StepDelay(after: text, field: "steps[1].after") == delay)
    }

    @Test(arguments: ["", "h", "24", "24x", "-1h", "1.5h", "400d", "h24"])
    func nonDurationsAreRefusedWithTheField(_ text: String) {
        #expect(throws: SequenceDefinitionError.self) { try StepDelay(after: text, field: "steps[1].after") }
        do {
            _ = try StepDelay(after: text, field: "steps[1].after")
        } catch {
            #expect(error.field == "steps[1].after")
        }
    }

    @Test(arguments: [("next 10:00", "10:00"), ("10:00", "10:00"), ("next 8:30", "08:30")])
    func wallClockTimesParse(_ text: String, _ time: String) throws {
        #expect(try StepDelay(at: text, field: "steps[0].at") == .nextLocalTime(LocalTime(time)!))
    }

    @Test func delaysDescribeThemselves() throws {
        #expect(try StepDelay(after: "24h", field: "x").description == "after 24h")
        #expect(try StepDelay(after: "1h30m", field: "x").description == "after 1h30m")
        #expect(try StepDelay(after: "3d", field: "x").description == "after 3d")
        #expect(try StepDelay(at: "next 10:00", field: "x").description == "at next 10:00")
    }

    @Test func anOutagePastTheWindowsEndWaitsForTheNextOpeningInsteadOfSendingAtNight() throws {
        let window = try F.window(F.jerusalem)
        // Due 20:50 IDT; the worker gets to it at 21:10 IDT.
        let decision = StepSendDecision.decide(due: F.utc("2025-06-15T17:50:00Z"), now: F.utc("2025-06-15T18:10:00Z"), window: window)
        #expect(decision == .wait(until: F.utc("2025-06-16T05:00:00Z")))
    }

    @Test func aStepIsSentWhenDueInsideTheWindowAndNotBefore() throws {
        let window = try F.window(F.jerusalem)
        let due = F.utc("2025-06-15T09:00:00Z")
        #expect(StepSendDecision.decide(due: due, now: due, window: window) == .send)
        #expect(StepSendDecision.decide(due: due, now: due.addingTimeInterval(30), window: window) == .send)
        #expect(StepSendDecision.decide(due: due, now: due.addingTimeInterval(-5), window: window) == .wait(until: due))
    }

    @Test func aStepMoreThanTheLimitLateExpires() throws {
        let window = try F.window(F.jerusalem)
        let due = F.utc("2025-06-15T09:00:00Z")
        let now = due.addingTimeInterval(73 * 3_600)
        #expect(StepSendDecision.decide(due: due, now: now, window: window) == .expire(lateBy: 73 * 3_600))
        #expect(StepSendDecision.decide(due: due, now: now, window: window, expiry: 96 * 3_600) == .send)
    }

    @Test(arguments: [
        ("+13055550123", SalesJurisdiction?.some(.florida)), ("+19185550123", .oklahoma), ("+12125550123", nil), ("+972501234567", nil),
        ("+1305555012", nil), (nil, nil),
    ])
    func floridaAndOklahomaAreKnownByAreaCode(_ phone: String?, _ jurisdiction: SalesJurisdiction?) {
        #expect(SalesJurisdiction.of(phone: phone) == jurisdiction)
    }

    @Test func aRestrictedWindowEndsAt20() throws {
        let window = try F.window(F.newYork, "07:00", "21:00", days: [.monday, .tuesday])
        let restricted = window.restricted(to: .florida)
        #expect(restricted.start == LocalTime("08:00") && restricted.end == LocalTime("20:00"))
        #expect(restricted.days == [.monday, .tuesday])
        let late = try F.window(F.newYork, "20:00", "21:00").restricted(to: .oklahoma)
        #expect(late.start == LocalTime("08:00") && late.end == LocalTime("20:00"), "a window wholly outside becomes the legal hours")
    }
}
