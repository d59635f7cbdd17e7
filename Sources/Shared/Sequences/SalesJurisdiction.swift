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

    /// Florida's area codes that span its two time zones: the panhandle west of the Apalachicola
    /// keeps Central time, the rest of 850/448 Eastern.
    static let floridaCentralAndEasternAreaCodes: Set<String> = ["448", "850"]

    /// The state whose rules apply to a lead with phone `e164` (`+1` and a listed area code); nil
    /// for any other number.
    public static func of(phone e164: String?) -> SalesJurisdiction? {
        guard let areaCode = areaCode(of: e164) else { return nil }
        return allCases.first { $0.areaCodes.contains(areaCode) }
    }

    /// The time zones a lead with phone `e164` in this state may be in, whose local 08:00–20:00 the
    /// rules mean: Oklahoma is Central; Florida Eastern, and also Central for the panhandle's
    /// 850/448 (both must allow a message, since the number does not say which side it is on).
    public func timeZones(phone e164: String?) -> [TimeZone] {
        let eastern = TimeZone(identifier: "America/New_York") ?? .gmt
        let central = TimeZone(identifier: "America/Chicago") ?? .gmt
        switch self {
        case .oklahoma: return [central]
        case .florida:
            guard let areaCode = Self.areaCode(of: e164), Self.floridaCentralAndEasternAreaCodes.contains(areaCode) else { return [eastern] }
            return [eastern, central]
        }
    }

    /// The NANP area code of `e164` (`+1` and ten digits).
    private static func areaCode(of e164: String?) -> String? {
        guard let e164, e164.hasPrefix("+1"), e164.count == 12 else { return nil }
        return String(e164.dropFirst(2).prefix(3))
    }
}

extension SendWindow {
    /// This window limited to the rules' hours (08:00–20:00) in each of `zones`, the lead's local
    /// time. In the window's own zone its hours are narrowed (a window that lies wholly outside
    /// them, 20:00–21:00, becomes 08:00–20:00 on its days); another zone's 08:00–20:00 becomes a
    /// ``limits`` entry, so both must be open.
    public func restricted(to zones: [TimeZone]) -> SendWindow {
        var restricted = self
        for zone in zones {
            if zone.identifier == timeZone.identifier {
                let start = max(restricted.start, SalesJurisdiction.windowStart)
                let end = min(restricted.end, SalesJurisdiction.windowEnd)
                let narrowed = start < end ? (start, end) : (SalesJurisdiction.windowStart, SalesJurisdiction.windowEnd)
                guard var window = try? SendWindow(timeZone: timeZone, start: narrowed.0, end: narrowed.1, days: days, blackoutDates: blackoutDates)
                else { continue }
                window.limits = restricted.limits
                restricted = window
            } else if let local = try? SendWindow(timeZone: zone, start: SalesJurisdiction.windowStart, end: SalesJurisdiction.windowEnd) {
                restricted.limits.append(local)
            }
        }
        return restricted
    }
}
