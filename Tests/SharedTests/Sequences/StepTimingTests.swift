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
        let restricted = window.restricted(to: SalesJurisdiction.florida.timeZones(phone: "+13055550123"))
        #expect(restricted.start == LocalTime("08:00") && restricted.end == LocalTime("20:00"))
        #expect(restricted.days == [.monday, .tuesday] && restricted.limits.isEmpty)
        let late = try F.window(F.newYork, "20:00", "21:00").restricted(to: [F.newYork])
        #expect(late.start == LocalTime("08:00") && late.end == LocalTime("20:00"), "a window wholly outside becomes the legal hours")
    }

    @Test(arguments: [
        ("+13055550123", ["America/New_York"]), ("+18505550123", ["America/New_York", "America/Chicago"]),
        ("+14485550123", ["America/New_York", "America/Chicago"]), ("+19185550123", ["America/Chicago"]),
    ])
    func theRulesHoursAreTheLeadsLocalTime(_ phone: String, _ zones: [String]) throws {
        let jurisdiction = try #require(SalesJurisdiction.of(phone: phone))
        #expect(jurisdiction.timeZones(phone: phone).map(\.identifier) == zones)
    }

    /// An Oklahoma lead (Central) of a sequence kept in New York time: the New York window
    /// 07:00–21:00 is open only while Chicago reads 08:00–20:00, i.e. 09:00–21:00 New York.
    @Test func anOklahomaLeadOfANewYorkSequenceGetsCentralHours() throws {
        let chicago = try #require(TimeZone(identifier: "America/Chicago"))
        let window = try F.window(F.newYork, "07:00", "21:00").restricted(to: SalesJurisdiction.oklahoma.timeZones(phone: "+19185550123"))
        #expect(window.limits.count == 1 && window.limits.first?.timeZone == chicago)
        // 2025-06-16 08:30 New York (EDT) = 07:30 Chicago: closed until 09:00 New York = 08:00 Chicago.
        #expect(!window.contains(F.utc("2025-06-16T12:30:00Z")))
        #expect(window.nextOpening(atOrAfter: F.utc("2025-06-16T12:30:00Z")) == F.utc("2025-06-16T13:00:00Z"))
        // 20:30 New York = 19:30 Chicago: open (the New York window ends at 21:00).
        #expect(window.contains(F.utc("2025-06-17T00:30:00Z")))
        #expect(window.opening(containingOrAfter: F.utc("2025-06-17T00:30:00Z"))?.end == F.utc("2025-06-17T01:00:00Z"))
        #expect(window.description.contains("and 08:00–20:00 every day America/Chicago"))
    }

    /// A Florida lead of a sequence kept in Israel time (08:00–21:00 Asia/Jerusalem): the message
    /// may go only when both are open — 15:00–21:00 Jerusalem = 08:00–14:00 New York in June.
    @Test func aFloridaLeadOfAnIsraeliSequenceIsNeverMessagedAtNightInFlorida() throws {
        let window = try F.window(F.jerusalem).restricted(to: SalesJurisdiction.florida.timeZones(phone: "+13055550123"))
        // 2025-06-16 09:00 Jerusalem (IDT, UTC+3) = 02:00 New York: closed; opens 15:00 Jerusalem = 08:00 New York.
        let opening = try #require(window.opening(containingOrAfter: F.utc("2025-06-16T06:00:00Z")))
        #expect(opening.start == F.utc("2025-06-16T12:00:00Z") && opening.end == F.utc("2025-06-16T18:00:00Z"))
        // Every opening over a year is inside both windows.
        var instant = F.utc("2025-01-01T00:00:00Z")
        for _ in 0..<365 {
            let next = try #require(window.opening(containingOrAfter: instant))
            for probe in [next.start, next.end.addingTimeInterval(-60)] {
                #expect(try F.window(F.jerusalem).contains(probe) && F.window(F.newYork, "08:00", "20:00").contains(probe))
            }
            instant = next.end
        }
    }

    /// Windows that never overlap (a Jerusalem morning is a New York night) never open.
    @Test func windowsThatNeverOverlapNeverOpen() throws {
        let window = try F.window(F.jerusalem, "08:00", "10:00").restricted(to: [F.newYork])
        #expect(window.nextOpening(atOrAfter: F.utc("2025-06-16T00:00:00Z")) == nil)
    }
}
