/// CSV-specific header rules on top of the project's ``LeadField`` aliases: headers are matched
/// by their words (``CSVHeaderWords``) rather than as fixed strings, so the names real exports use
/// (`Contact Phone Number`, `Email Address (Work)`, `First Name (Required)`, `Zip/Postal Code`)
/// find their field, ranked by ``CSVHeaderRank``.
public enum CSVHeaderMapping {
    /// The lead field a CSV header names, or `nil` for a column kept as an extra under its own
    /// name. See ``match(_:isMetaExport:)``.
    public static func leadField(for header: String, isMetaExport: Bool = false) -> LeadField? {
        match(header, isMetaExport: isMetaExport)?.field
    }

    /// The lead field a CSV header names and how well (``CSVHeaderRank``), or `nil`.
    ///
    /// The header's words joined (`E-mail Address` → `emailaddress`) are looked up among the
    /// ``LeadField`` aliases: found, the match is `exact`. Otherwise filler words are left out and
    /// what remains is looked up (`qualified`), and a word starting with a digit or naming another
    /// value (`2`, `2nd`, `alt`, `other`, `secondary`…) makes the match `secondary`. Headers of
    /// alternatives (`Postal Code / ZIP`) match when every part names the same field. `first`,
    /// `last` and `id` count only as whole headers (so `Last Contact` is no last name), `name`
    /// not after a place word (`Business Name` is a company), and a bare `id` is the external id
    /// only in a Meta Lead Ads export; in other spreadsheets it is usually the sheet's own row number.
    public static func match(_ header: String, isMetaExport: Bool = false) -> (field: LeadField, rank: CSVHeaderRank)? {
        let words = CSVHeaderWords.words(header)
        if words == ["id"] { return isMetaExport ? (.externalId, .exact) : nil }
        if let whole = match(words: words) { return whole }
        let parts = header.unicodeScalars.split(separator: "/")
        guard parts.count > 1 else { return nil }
        var combined: (field: LeadField, rank: CSVHeaderRank)?
        for part in parts {
            guard let match = match(words: CSVHeaderWords.words(String(part))), combined.map({ $0.field == match.field }) ?? true else {
                return nil
            }
            combined = (match.field, max(combined?.rank ?? .qualified, match.rank))
        }
        return combined
    }

    private static func match(words: [String]) -> (field: LeadField, rank: CSVHeaderRank)? {
        guard !words.isEmpty else { return nil }
        let whole = words.joined()
        if whole != "id", let field = LeadField(alias: whole) { return (field, .exact) }
        var core: [String] = []
        var isSecondary = false
        var droppedPlace = false
        for word in words {
            if placeWords.contains(word) {
                droppedPlace = true
                continue
            }
            if fillerWords.contains(word) { continue }
            if addressWords.contains(word), core.last?.hasSuffix("mail") == true { continue }
            if secondaryWords.contains(word) || word.unicodeScalars.first?.properties.numericType == .decimal {
                isSecondary = true
                continue
            }
            core.append(word)
        }
        let key = core.joined()
        guard !key.isEmpty, !wholeHeaderOnlyKeys.contains(key), !(droppedPlace && key == "name"), let field = LeadField(alias: key) else {
            return nil
        }
        return (field, isSecondary ? .secondary : .qualified)
    }

    /// Words that qualify a field's name without changing what it holds.
    private static let fillerWords: Set<String> = [
        "contact", "primary", "preferred", "required", "optional", "number", "num", "your", "customer", "client", "lead", "the",
    ]
    /// Fillers naming where a phone or an address belongs (`Work Phone`); dropped like the others,
    /// except before a bare name: `Business Name` is a company, not the person.
    private static let placeWords: Set<String> = ["work", "home", "personal", "business", "office", "main"]
    /// Words that name another value of a field (`Alternate Phone`).
    private static let secondaryWords: Set<String> = [
        "alt", "alternate", "alternative", "other", "secondary", "second", "additional", "backup",
    ]
    /// Left out after an e-mail word (`E-mail Address`).
    private static let addressWords: Set<String> = ["address", "addr"]
    /// Aliases too vague to stand for a field once other words were dropped.
    private static let wholeHeaderOnlyKeys: Set<String> = ["first", "last", "id"]

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
