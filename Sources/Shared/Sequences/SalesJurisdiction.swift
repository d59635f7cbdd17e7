import Foundation

/// US states whose telephone-solicitation laws are stricter than the federal 08:00–21:00: Florida
/// (FTSA, §501.059) and Oklahoma (OTSA, 15 O.S. §775C): 08:00–20:00 at the called party's local
/// time and at most 3 sales calls or texts per 24 hours. A lead whose phone has one of their area
/// codes is presumed to live there (both laws say so). Not legal advice: the reference this
/// follows marks Oklahoma's "3" unconfirmed.
public enum SalesJurisdiction: String, Sendable, Hashable, CaseIterable {
    case florida = "FL"
    case oklahoma = "OK"

    /// The latest a window may close for these leads.
    public static let windowEnd = LocalTime(hour: 20) ?? LocalTime.endOfDay
    /// The earliest a window may open for these leads (the federal rule, too).
    public static let windowStart = LocalTime(hour: 8) ?? LocalTime.midnight
    /// Sales messages per rolling 24 hours at most.
    public static let messagesPer24Hours = 3

    /// The area codes (NANP) presumed to be in the state, overlays included.
    public var areaCodes: Set<String> {
        switch self {
        case .florida:
            [
                "239", "305", "321", "324", "352", "386", "407", "448", "561", "645", "656", "689", "727", "728", "754", "772", "786", "813",
                "850", "863", "904", "941", "954",
            ]
        case .oklahoma: ["405", "539", "572", "580", "918"]
        }
    }

    /// The state whose rules apply to a lead with phone `e164` (`+1` and a listed area code); nil
    /// for any other number.
    public static func of(phone e164: String?) -> SalesJurisdiction? {
        guard let e164, e164.hasPrefix("+1"), e164.count == 12 else { return nil }
        let areaCode = String(e164.dropFirst(2).prefix(3))
        return allCases.first { $0.areaCodes.contains(areaCode) }
    }
}

extension SendWindow {
    /// This window narrowed to `jurisdiction`'s hours (08:00–20:00 at most); a window that lies
    /// wholly outside them (20:00–21:00) becomes 08:00–20:00 on its days.
    public func restricted(to jurisdiction: SalesJurisdiction) -> SendWindow {
        let start = max(start, SalesJurisdiction.windowStart)
        let end = min(end, SalesJurisdiction.windowEnd)
        let narrowed = start < end ? (start, end) : (SalesJurisdiction.windowStart, SalesJurisdiction.windowEnd)
        return (try? SendWindow(timeZone: timeZone, start: narrowed.0, end: narrowed.1, days: days, blackoutDates: blackoutDates)) ?? self
    }
}
