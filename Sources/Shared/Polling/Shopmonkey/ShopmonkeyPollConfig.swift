/// What a Shopmonkey poll reads, from a `shopmonkey_poll` source's config or the `poll` object
/// of a `shopmonkey` webhook source: `api_base_url`, `poll_interval` (default 30 s), `resources`
/// (`customer`, `order`), `overlap` (default 300 s), `start_at`. The API token is the source's
/// `api_token` secret.
public struct ShopmonkeyPollConfig: Sendable, Hashable {
    /// What is polled.
    public enum Resource: String, Sendable, Hashable, CaseIterable {
        /// Customers updated since the cursor: each a lead.
        case customer
        /// Orders updated since the cursor: each order's customer a lead.
        case order
    }

    /// The API (`https://api.shopmonkey.cloud/v3`; tests point it at a stand-in).
    public var apiBaseURL: String
    /// Seconds between polls (default 30, minimum 10).
    public var pollInterval: Int
    /// What is polled, in order.
    public var resources: [Resource]
    /// How far before the cursor each poll starts again, because the API's pages overlap and
    /// may miss records (default 300 s).
    public var overlap: Int
    /// Where the first poll starts (default: now; `beginning` imports every customer).
    public var start: PollStart

    /// Shopmonkey's public API.
    public static let defaultAPIBaseURL = "https://api.shopmonkey.cloud/v3"
    static let keys: Set<String> = ["api_base_url", "poll_interval", "resources", "overlap", "start_at"]

    /// Reads and checks `config` (`fieldPrefix`: `config.` or `config.poll.` in errors).
    ///
    /// - Throws: ``StoreError/invalid(field:message:)`` naming the field.
    public init(_ config: [String: JSONValue], fieldPrefix: String = "config.") throws(StoreError) {
        do throws(StoreError) {
            if let unknown = config.keys.sorted().first(where: { !Self.keys.contains($0) }) {
                throw StoreError.invalid(
                    field: "config.\(unknown)",
                    message: "is not a Shopmonkey poll setting (known: \(Self.keys.sorted().joined(separator: ", ")))"
                )
            }
            apiBaseURL = try PollingConfigText.baseURL(config, "api_base_url", default: Self.defaultAPIBaseURL)
            pollInterval = try PollInterval.seconds(config, "poll_interval", default: 30, in: 10...86_400)
            overlap = try PollInterval.seconds(config, "overlap", default: 300, in: 0...86_400)
            start = try PollStart.parse(config, default: .now, allowsDate: true)
            switch config["resources"] {
            case nil: resources = [.customer]
            case .array(let values)?:
                resources = []
                for value in values {
                    guard let resource = value.scalarText.flatMap(Resource.init(rawValue:)) else {
                        throw StoreError.invalid(field: "config.resources", message: "must list customer and/or order")
                    }
                    if !resources.contains(resource) { resources.append(resource) }
                }
                guard !resources.isEmpty else { throw StoreError.invalid(field: "config.resources", message: "must list customer and/or order") }
            default: throw StoreError.invalid(field: "config.resources", message: "must list customer and/or order")
            }
        } catch {
            guard case .invalid(let field, let message) = error, fieldPrefix != "config." else { throw error }
            throw StoreError.invalid(field: fieldPrefix + field.dropFirst("config.".count), message: message)
        }
    }
}
