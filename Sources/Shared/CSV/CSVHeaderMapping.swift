/// CSV-specific header rules on top of the project's ``LeadField`` aliases.
public enum CSVHeaderMapping {
    /// The lead field a CSV header names (``LeadField/init(alias:)``: case, spaces and
    /// punctuation ignored), or `nil` for a column kept as an extra under its own name.
    ///
    /// One CSV exception: a bare `id` column is the external id only in a Meta Lead Ads export;
    /// in other spreadsheets it is usually the sheet's own row number.
    public static func leadField(for header: String, isMetaExport: Bool = false) -> LeadField? {
        if LeadField.aliasKey(header) == "id" { return isMetaExport ? .externalId : nil }
        return LeadField(alias: header)
    }

    /// Whether a header holds when the source created the lead (`created_time`, `Created At`,
    /// `Date Created`…). ``LeadField`` has no such field, so the value stays in `extra` under its
    /// header name; ``CSVColumnMap/createdTimeIndex`` points at it.
    public static func isCreatedTime(_ header: String) -> Bool {
        createdTimeKeys.contains(LeadField.aliasKey(header))
    }

    /// Whether a header row looks like a Meta (Facebook/Instagram) Lead Ads export: an `id`
    /// column next to Meta's `form_id`, `ad_id` or `campaign_id`.
    public static func isMetaExport(header: [String]) -> Bool {
        let keys = Set(header.map { LeadField.aliasKey($0) })
        return keys.contains("id") && !keys.isDisjoint(with: ["formid", "adid", "campaignid"])
    }

    private static let createdTimeKeys: Set<String> = [
        "createdtime", "createdat", "created", "datecreated", "createddate", "creationdate", "creationtime",
    ]
}
