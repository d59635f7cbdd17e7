import Foundation
import Testing

@testable import Shared

@Suite("Shopmonkey times and Retry-After")
struct ShopmonkeyTimeTests {
    @Test func aTimeIsWrittenInUTCWithMilliseconds() {
        #expect(ShopmonkeyTime.text(Date(timeIntervalSince1970: 1_796_113_800)) == "2026-12-01T08:30:00.000Z")
        #expect(ShopmonkeyTime.text(Date(timeIntervalSince1970: 1_796_113_800.25)) == "2026-12-01T08:30:00.250Z")
    }

    @Test(arguments: [1_796_113_800.0, 1_796_113_800.123, 1_796_113_800.999, 0.5, 1_893_456_000.001])
    func aWrittenTimeReadsBackToTheMillisecond(seconds: Double) throws {
        let date = Date(timeIntervalSince1970: seconds)
        let read = try #require(ShopmonkeyTime.date(ShopmonkeyTime.text(date)))
        #expect(abs(read.timeIntervalSince(date)) < 0.001)
    }

    @Test(arguments: [
        ("2026-12-01T08:30:00.000Z", 1_796_113_800.0), ("2026-12-01T08:30:00Z", 1_796_113_800), ("2026-12-01T08:30:00.5Z", 1_796_113_800.5),
        ("2026-12-01T10:30:00.000+02:00", 1_796_113_800), ("2026-12-01T10:30:00+02:00", 1_796_113_800),
    ])
    func shopmonkeysTimesAreRead(text: String, seconds: Double) throws {
        let date = try #require(ShopmonkeyTime.date(text))
        #expect(abs(date.timeIntervalSince1970 - seconds) < 0.001)
    }

    @Test(arguments: ["", "2026-12-01", "2026-12-01 08:30:00", "yesterday", "1796113800"])
    func otherTextIsNoTime(text: String) {
        #expect(ShopmonkeyTime.date(text) == nil)
    }

    @Test(arguments: [("120", Duration.seconds(120)), (" 5 ", .seconds(5)), ("0", .zero), ("-3", .zero)])
    func retryAfterSecondsAreRead(text: String, delay: Duration) {
        #expect(ShopmonkeyTime.retryAfter(text) == delay)
    }

    @Test func retryAfterAnHTTPDateInThePastIsNoWait() {
        #expect(ShopmonkeyTime.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT") == .zero)
    }

    @Test func retryAfterAnHTTPDateIsTheTimeUntilThen() throws {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let text = formatter.string(from: Date().addingTimeInterval(3_600))
        let delay = try #require(ShopmonkeyTime.retryAfter(text))
        // The date has whole seconds, and a little time passes before it is read.
        #expect(delay >= .seconds(3_500) && delay <= .seconds(3_601), "\(text) → \(delay)")
    }

    @Test(arguments: ["soon", "", "2026-12-01T08:30:00Z", "1.5"])
    func anUnreadableRetryAfterIsNoDelay(text: String) {
        #expect(ShopmonkeyTime.retryAfter(text) == nil)
    }
}
