import Foundation
import Shared
import Testing

@Suite("Send windows")
struct SendWindowTests {
    typealias F = SequenceTimeFixtures

    @Test func aFridayMorningWaitsForSundayInASundayToThursdayWindow() throws {
        let window = try F.window(F.jerusalem, days: [.sunday, .monday, .tuesday, .wednesday, .thursday])
        // Friday 2025-06-13 10:00 IDT.
        let friday = F.utc("2025-06-13T07:00:00Z")
        #expect(!window.contains(friday))
        #expect(window.nextOpening(atOrAfter: friday) == F.utc("2025-06-15T05:00:00Z"))
        #expect(window.description == "08:00–21:00 Sun–Thu Asia/Jerusalem")
    }

    @Test func insideTheWindowTheInstantItselfIsTheOpening() throws {
        let window = try F.window(F.jerusalem)
        let noon = F.utc("2025-06-15T09:00:00Z")
        #expect(window.contains(noon))
        #expect(window.nextOpening(atOrAfter: noon) == noon)
        #expect(window.contains(F.utc("2025-06-15T05:00:00Z")), "08:00 is inside")
        #expect(!window.contains(F.utc("2025-06-15T18:00:00Z")), "21:00 is outside: the end is exclusive")
        #expect(window.nextOpening(atOrAfter: F.utc("2025-06-15T18:00:00Z")) == F.utc("2025-06-16T05:00:00Z"))
    }

    @Test func blackoutDatesAreSkipped() throws {
        let base = try F.window(F.jerusalem)
        let window = try SendWindow(
            timeZone: F.jerusalem,
            start: base.start,
            end: base.end,
            blackoutDates: [LocalDate("2025-04-13")!, LocalDate("2025-04-14")!]
        )
        // 2025-04-12 22:00 IDT: the next two days are holidays.
        #expect(window.nextOpening(atOrAfter: F.utc("2025-04-12T19:00:00Z")) == F.utc("2025-04-15T05:00:00Z"))
        #expect(window.description.hasSuffix("except 2025-04-13, 2025-04-14"))
    }

    @Test func aStartInsideTheSpringGapOpensWhenTheClocksResume() throws {
        // New York skipped 02:00–03:00 on 2025-03-09: a 02:30 opening happens at 03:00 EDT.
        let window = try F.window(F.newYork, "02:30", "04:00")
        #expect(window.nextOpening(atOrAfter: F.utc("2025-03-09T05:00:00Z")) == F.utc("2025-03-09T07:00:00Z"))
    }

    @Test func aStartInTheRepeatedAutumnHourUsesItsFirstOccurrence() throws {
        // New York's 01:30 happened twice on 2025-11-02: 05:30Z (EDT) and 06:30Z (EST).
        let window = try F.window(F.newYork, "01:30", "05:00")
        #expect(window.nextOpening(atOrAfter: F.utc("2025-11-02T04:00:00Z")) == F.utc("2025-11-02T05:30:00Z"))
    }

    @Test func aWindowUntilMidnightClosesAtTheNextDaysStart() throws {
        let window = try F.window(F.jerusalem, "20:00", "24:00")
        #expect(window.contains(F.utc("2025-06-15T20:59:00Z")), "23:59 IDT")
        #expect(window.nextOpening(atOrAfter: F.utc("2025-06-15T21:00:00Z")) == F.utc("2025-06-16T17:00:00Z"))
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        var start: String
        var end: String
        var days: Set<Weekday>
        var field: String
        var testDescription: String { "\(start)–\(end) \(days.count) days → \(field)" }
    }

    @Test(arguments: [
        Refusal(start: "21:00", end: "08:00", days: Set(Weekday.allCases), field: "window.start"),
        Refusal(start: "09:00", end: "09:00", days: Set(Weekday.allCases), field: "window.start"),
        Refusal(start: "08:00", end: "21:00", days: [], field: "window.days"),
    ])
    func aWindowThatNeverOpensIsRefused(_ example: Refusal) {
        do {
            _ = try SendWindow(timeZone: F.jerusalem, start: LocalTime(example.start)!, end: LocalTime(example.end)!, days: example.days)
            Issue.record("accepted \(example)")
        } catch {
            #expect(error.field == example.field)
        }
    }

    @Test(arguments: ["8:00", "08:00", "23:59", "24:00", "00:00"])
    func timesParse(_ text: String) throws {
        let time = try #require(LocalTime(text))
        #expect(time.description == (text.count == 4 ? "0" + text : text))
    }

    @Test(arguments: ["24:01", "25:00", "08:60", "8", "08:0", "٠٨:٠٠", " :00", "-1:00"])
    func nonTimesDoNotParse(_ text: String) {
        #expect(LocalTime(text) == nil)
    }

    @Test(arguments: [("sun", Weekday.sunday), ("Thursday", .thursday), ("THU", .thursday), ("sat", .saturday)])
    func weekdaysParse(_ text: String, _ day: Weekday) {
        #expect(Weekday(name: text) == day)
    }

    @Test(arguments: ["su", "thursdays", "xyz", ""])
    func nonWeekdaysDoNotParse(_ text: String) {
        #expect(Weekday(name: text) == nil)
    }
}
