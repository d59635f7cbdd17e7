import Shared
import Testing

@Suite("Poll intervals: seconds or text with a unit")
struct PollIntervalTests {
    @Test(
        arguments: [
            (JSONValue.number(60), 60), ("60", 60), (" 90 ", 90), ("60s", 60), ("2m", 120), ("1h", 3_600), ("5M", 300), ("1H", 3_600),
            (0, 0), ("-5s", -5),
        ] as [(JSONValue, Int)]
    )
    func aDurationIsReadInSeconds(value: JSONValue, seconds: Int) {
        #expect(PollInterval.seconds(value) == seconds)
    }

    @Test(arguments: ["", "s", "1d", "often", "1.5m", "m5", "1 m"] as [JSONValue] + [1.5, true, .null, [60], ["seconds": 60]])
    func anythingElseIsNoDuration(value: JSONValue) {
        #expect(PollInterval.seconds(value) == nil)
    }
}
