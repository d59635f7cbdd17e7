/// The type prefixes Meta Ads Manager writes in front of ids and phone numbers in lead exports
/// (`l:1000…`, `ag:2000…`, `p:+1239…`).
public enum CSVMetaPrefix: String, Sendable, Hashable, CaseIterable {
    /// Lead id, in the `id` column.
    case lead = "l:"
    /// Ad id (`ad_id`).
    case ad = "ag:"
    /// Ad set id (`adset_id`).
    case adSet = "as:"
    /// Campaign id (`campaign_id`).
    case campaign = "c:"
    /// Form id (`form_id`).
    case form = "f:"
    /// Phone numbers (`phone_number` and any other phone column).
    case phone = "p:"

    /// The prefix Meta uses in a column, judged by its header name; `nil` for every other column
    /// (notes, names, questions…), whose values are never touched.
    public static func forColumn(_ header: String) -> CSVMetaPrefix? {
        switch LeadField.aliasKey(header) {
        case "id", "leadid": .lead
        case "adid": .ad
        case "adsetid", "adgroupid": .adSet
        case "campaignid": .campaign
        case "formid", "leadgenformid": .form
        default: CSVHeaderMapping.leadField(for: header) == .phone ? .phone : nil
        }
    }

    /// `value` without this prefix when it has it and the rest looks like what Meta puts there
    /// (digits for an id, a phone number for a phone); otherwise `value` unchanged, so
    /// `"p: call after 5"` stays as written.
    public func strip(from value: String) -> String {
        let bytes = value.utf8
        guard bytes.starts(with: rawValue.utf8) else { return value }
        let rest = bytes.dropFirst(rawValue.utf8.count)
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        let plausible: Bool
        if self == .phone {
            plausible = rest.contains(where: isDigit) && rest.allSatisfy { isDigit($0) || Self.phonePunctuation.contains($0) }
        } else {
            plausible = !rest.isEmpty && rest.allSatisfy(isDigit)
        }
        return plausible ? String(Substring(rest)) : value
    }

    /// Characters besides digits a Meta phone value may hold.
    private static let phonePunctuation = Set("+-(). ".utf8)
}
