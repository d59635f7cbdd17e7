/// GoHighLevel's two public APIs, the one place their base URLs, names and `Version` header
/// live: v2 (`ghl`, LeadConnector) and v1 (`ghl_v1`, end of life, still used by older accounts).
enum GoHighLevelAPI: Sendable, Hashable {
    case v2, v1

    /// The `Version` header every v2 contacts call needs.
    static let versionHeader = "2021-07-28"

    /// String properties of v2's `UpsertContactDto` that `contact_fields` may fill (v1 takes the same).
    static let mappableProperties: Set<String> = [
        "firstName", "lastName", "name", "email", "phone", "address1", "city", "state", "postalCode", "website",
        "timezone", "gender", "source", "country", "companyName", "assignedTo",
    ]

    /// The API's base URL (a destination's `base_url` overrides it).
    var defaultBaseURL: String {
        switch self {
        case .v2: "https://services.leadconnectorhq.com"
        case .v1: "https://rest.gohighlevel.com"
        }
    }

    /// The name in messages: `GoHighLevel`, `GoHighLevel v1`.
    var displayName: String {
        switch self {
        case .v2: "GoHighLevel"
        case .v1: "GoHighLevel v1"
        }
    }
}
