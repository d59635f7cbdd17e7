import Foundation
import Shared
import Testing

/// The due time of a step across both daylight-saving changes of Israel and the US, with both
/// kinds of delay: 24 elapsed hours (the local time shifts by an hour, and may leave the window)
/// and the next 20:30 on the zone's clocks (the local time stays).
@Suite("Step due times across daylight-saving changes")
struct ScheduledStepDSTTests {
    typealias F = SequenceTimeFixtures

    struct Example: Sendable, CustomTestStringConvertible {
        var name: String
        var zone: TimeZone
        /// The previous step, UTC.
        var previous: String
        var delay: StepDelay
        /// The nominal due time, UTC.
        var nominal: String
        /// After the 08:00–21:00 window, UTC.
        var due: String
        /// The due time as the zone's clocks show it.
        var dueLocal: String
        var testDescription: String { name }
    }

    @Test(arguments: [
        // The reference's worked example: 20:30 IST + 24 h = 21:30 IDT (the clocks went forward that night): outside, so 08:00.
        Example(
            name: "Israel spring, +24h leaves the window",
            zone: F.jerusalem,
            previous: "2025-03-27T18:30:00Z",
            delay: .elapsed(seconds: 86_400),
            nominal: "2025-03-28T18:30:00Z",
            due: "2025-03-29T05:00:00Z",
            dueLocal: "2025-03-29 08:00 +03:00 Asia/Jerusalem"
        ),
        Example(
            name: "Israel spring, next 20:30 stays 20:30",
            zone: F.jerusalem,
            previous: "2025-03-27T18:30:00Z",
            delay: .nextLocalTime(LocalTime(hour: 20, minute: 30)!),
            nominal: "2025-03-28T17:30:00Z",
            due: "2025-03-28T17:30:00Z",
            dueLocal: "2025-03-28 20:30 +03:00 Asia/Jerusalem"
        ),
        Example(
            name: "Israel autumn, +24h is 19:30",
            zone: F.jerusalem,
            previous: "2025-10-25T17:30:00Z",
            delay: .elapsed(seconds: 86_400),
            nominal: "2025-10-26T17:30:00Z",
            due: "2025-10-26T17:30:00Z",
            dueLocal: "2025-10-26 19:30 +02:00 Asia/Jerusalem"
        ),
        Example(
            name: "Israel autumn, next 20:30 stays 20:30",
            zone: F.jerusalem,
            previous: "2025-10-25T17:30:00Z",
            delay: .nextLocalTime(LocalTime(hour: 20, minute: 30)!),
            nominal: "2025-10-26T18:30:00Z",
            due: "2025-10-26T18:30:00Z",
            dueLocal: "2025-10-26 20:30 +02:00 Asia/Jerusalem"
        ),
        Example(
            name: "US spring, +24h leaves the window",
            zone: F.newYork,
            previous: "2025-03-09T01:30:00Z",
            delay: .elapsed(seconds: 86_400),
            nominal: "2025-03-10T01:30:00Z",
            due: "2025-03-10T12:00:00Z",
            dueLocal: "2025-03-10 08:00 -04:00 America/New_York"
        ),
        Example(
            name: "US spring, next 10:00 is 10:00 EDT, not 24 h",
            zone: F.newYork,
            previous: "2025-03-08T17:00:00Z",
            delay: .nextLocalTime(LocalTime(hour: 10)!),
            nominal: "2025-03-09T14:00:00Z",
            due: "2025-03-09T14:00:00Z",
            dueLocal: "2025-03-09 10:00 -04:00 America/New_York"
        ),
        Example(
            name: "US autumn, +24h is 19:30",
            zone: F.newYork,
            previous: "2025-11-02T00:30:00Z",
            delay: .elapsed(seconds: 86_400),
            nominal: "2025-11-03T00:30:00Z",
            due: "2025-11-03T00:30:00Z",
            dueLocal: "2025-11-02 19:30 -05:00 America/New_York"
        ),
        Example(
            name: "US autumn, next 10:00 is 10:00 EST",
            zone: F.newYork,
            previous: "2025-11-01T14:00:00Z",
            delay: .nextLocalTime(LocalTime(hour: 10)!),
            nominal: "2025-11-02T15:00:00Z",
            due: "2025-11-02T15:00:00Z",
            dueLocal: "2025-11-02 10:00 -05:00 America/New_York"
        ),
    ])
    func aStepIsDueWhereTheZonesClocksSay(_ example: Example) throws {
        let window = try F.window(example.zone)
        let step = try #require(ScheduledStep(after: F.utc(example.previous), delay: example.delay, window: window))
        #expect(step.nominal == F.utc(example.nominal), "nominal \(ScheduledStep.utcText(step.nominal))")
        #expect(step.due == F.utc(example.due), "due \(step.dueUTC)")
        #expect(step.dueLocal == example.dueLocal)
        #expect(step.wasMoved == (example.nominal != example.due))
        #expect(window.contains(step.due))
    }

    @Test func theScheduleShowsUTCLocalTimeAndTheWindowApplied() throws {
        let step = try #require(
            ScheduledStep(after: F.utc("2025-03-27T18:30:00Z"), delay: .elapsed(seconds: 86_400), window: try F.window(F.jerusalem))
        )
        #expect(
            step.description
                == "2025-03-29T05:00:00Z (2025-03-29 08:00 +03:00 Asia/Jerusalem), window 08:00–21:00 every day Asia/Jerusalem; "
                + "moved from 2025-03-28 21:30 +03:00 Asia/Jerusalem (outside the window)"
        )
    }
}
