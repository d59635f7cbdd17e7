import Foundation
import NIOHTTP1
import Shared
import Testing
import WorkerApp

extension Destinations {
    @Suite("Retry-After and X-RateLimit hints")
    struct RetryAfterTests {
        static let now = Date(timeIntervalSince1970: 1_750_000_000)

        @Test(
            "hints",
            arguments: [
                ([("Retry-After", "120")], 503, Duration.seconds(120) as Duration?),
                ([("Retry-After", " 0 ")], 429, .seconds(0)),
                ([("Retry-After", "Sun, 15 Jun 2025 15:08:20 GMT")], 429, .seconds(100)),
                ([("Retry-After", "Sunday, 15-Jun-25 15:08:20 GMT")], 429, .seconds(100)),
                ([("Retry-After", "Sun Jun 15 15:08:20 2025")], 429, .seconds(100)),
                ([("Retry-After", "Mon, 01 Jan 2024 00:00:00 GMT")], 429, .seconds(0)),
                ([("Retry-After", "soon")], 429, nil),
                ([("Retry-After", "99999999")], 429, .seconds(7 * 86_400)),
                ([("X-RateLimit-Reset", "45")], 429, .seconds(45)),
                ([("X-RateLimit-Reset", "1750000060")], 429, .seconds(60)),
                ([("X-RateLimit-Reset", "1750000030000")], 429, .seconds(30)),
                ([("X-RateLimit-Interval-Milliseconds", "10000")], 429, .seconds(10)),
                ([("X-RateLimit-Interval-Milliseconds", "10000"), ("X-RateLimit-Remaining", "0")], 503, .seconds(10)),
                ([("X-RateLimit-Interval-Milliseconds", "10000"), ("X-RateLimit-Remaining", "5")], 503, nil),
                ([("X-RateLimit-Daily-Remaining", "0")], 429, .seconds(3_600)),
                ([], 429, nil),
            ] as [([(String, String)], Int, Duration?)]
        )
        func hint(headers: [(String, String)], status: Int, expected: Duration?) {
            #expect(DeliveryClassifier.retryAfter(HTTPHeaders(headers), status: status, now: Self.now) == expected)
        }
    }
}
