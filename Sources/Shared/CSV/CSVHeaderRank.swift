/// How well a CSV header names a lead field. When several columns name one field, the best rank
/// is read first — among equals the leftmost column — and the others fill in on rows where it is
/// blank (their values otherwise stay in `extra` under their own names). The import result says
/// which column each field was taken from, and warns when two columns tie.
public enum CSVHeaderRank: Int, Sendable, Hashable, Comparable, CaseIterable {
    /// The whole header is a known name of the field: `Phone`, `Phone #`, `Mobile`, `Cell Phone`,
    /// `E-mail Address`, `Zip/Postal Code`, `phone_number`, `firstName`.
    case exact = 0
    /// A known name once filler words are left out (`contact`, `primary`, `work`, `home`,
    /// `number`, `(required)`, `address` after e-mail, …): `Contact Phone Number`,
    /// `Email Address (Work)`, `First Name (Required)`, `Work Phone`.
    case qualified = 1
    /// Another value of the field: `Phone 2`, `2nd Phone`, `Alternate Email`, `Other Phone`.
    case secondary = 2

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
