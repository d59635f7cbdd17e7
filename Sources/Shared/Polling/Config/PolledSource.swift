/// What a polled source polls, read from its kind, preset and config.
public enum PolledSource: Sendable, Hashable {
    /// A Google Sheets spreadsheet.
    case sheet(SheetSourceConfig)
    /// Shopmonkey customers/orders (a `shopmonkey_poll` source, or a `shopmonkey` webhook source's `poll`).
    case shopmonkey(ShopmonkeyPollConfig)

    /// The polling settings of a source of `kind`/`preset` with `config`; nil when it does not poll.
    ///
    /// - Throws: ``StoreError/invalid(field:message:)`` naming the config field at fault.
    public init?(kind: SourceKind, preset: WebhookPreset?, config: [String: JSONValue]) throws(StoreError) {
        switch kind {
        case .sheet: self = .sheet(try SheetSourceConfig(config))
        case .shopmonkeyPoll: self = .shopmonkey(try ShopmonkeyPollConfig(config))
        case .webhook where preset == .shopmonkey:
            guard let poll = config["poll"] else { return nil }
            guard case .object(let settings) = poll else {
                throw StoreError.invalid(field: "config.poll", message: "must be an object of Shopmonkey poll settings, e.g. {\"poll_interval\": 30}")
            }
            self = .shopmonkey(try ShopmonkeyPollConfig(settings, fieldPrefix: "config.poll."))
        default: return nil
        }
    }

    /// The polling settings of `source`; nil when it does not poll.
    public init?(_ source: Source) throws(StoreError) {
        try self.init(kind: source.kind, preset: source.preset, config: source.config)
    }

    /// Seconds between polls.
    public var pollInterval: Int {
        switch self {
        case .sheet(let config): config.pollInterval
        case .shopmonkey(let config): config.pollInterval
        }
    }
}
