import Foundation
import NIOHTTP1

extension DeliveryClassifier {
    /// Longest wait a destination may ask for; anything beyond is capped.
    public static let longestRetryAfter = Duration.seconds(7 * 86_400)
    /// How long to wait when GoHighLevel's daily budget is spent (its reset time is not published).
    public static let dailyLimitPause = Duration.seconds(3_600)

    /// When the destination asks to be called again, from (first match wins): `Retry-After`
    /// (seconds or an HTTP-date), `X-RateLimit-Reset` (seconds, or a Unix time in seconds or
    /// milliseconds), GoHighLevel's `X-RateLimit-Daily-Remaining: 0` (``dailyLimitPause``), and on
    /// a 429 or `X-RateLimit-Remaining: 0` GoHighLevel's `X-RateLimit-Interval-Milliseconds`.
    public static func retryAfter(_ headers: HTTPHeaders, status: Int, now: Date = Date()) -> Duration? {
        if let value = headers.first(name: "Retry-After")?.trimmingCharacters(in: .whitespaces), !value.isEmpty {
            if let seconds = Double(value), seconds.isFinite, seconds >= 0 { return capped(seconds: seconds) }
            if let date = httpDate(value) { return capped(seconds: max(0, date.timeIntervalSince(now))) }
        }
        if let reset = number(headers, "X-RateLimit-Reset"), reset >= 0 {
            if reset > 100_000_000_000 { return capped(seconds: max(0, reset / 1_000 - now.timeIntervalSince1970)) }
            if reset > 1_000_000_000 { return capped(seconds: max(0, reset - now.timeIntervalSince1970)) }
            return capped(seconds: reset)
        }
        if let daily = number(headers, "X-RateLimit-Daily-Remaining"), daily <= 0 { return dailyLimitPause }
        let spent = status == 429 || (number(headers, "X-RateLimit-Remaining").map { $0 <= 0 } ?? false)
        if spent, let interval = number(headers, "X-RateLimit-Interval-Milliseconds"), interval > 0 {
            return capped(seconds: interval / 1_000)
        }
        return nil
    }

    private static func number(_ headers: HTTPHeaders, _ name: String) -> Double? {
        headers.first(name: name).flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }.flatMap { $0.isFinite ? $0 : nil }
    }

    private static func capped(seconds: Double) -> Duration {
        min(Duration.milliseconds(Int64((seconds * 1_000).rounded(.up))), longestRetryAfter)
    }

    /// An HTTP-date: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), RFC 850 or asctime.
    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}
