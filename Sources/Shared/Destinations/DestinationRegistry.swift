/// The destinations LeadRelay delivers to: one adapter per kind. The worker, `leadctl`, the
/// dashboard and reconciliation find everything kind-specific here.
///
/// Adding a destination: a folder beside `Momence/` with its adapter (and its
/// `DestinationKind` constant), and one line in ``adapters``.
public enum DestinationRegistry {
    /// Every adapter, in the order forms and help texts list them.
    public static let adapters: [any DestinationAdapter] = [
        GoHighLevelAdapter(api: .v2),
        GoHighLevelAdapter(api: .v1),
        MomenceAdapter(),
        JSONHTTPAdapter(style: .npa),
        JSONHTTPAdapter(style: .generic),
        WhatsAppAdapter(),
        TwilioSMSAdapter(),
        SendGridAdapter(),
        SMTPAdapter(),
        MondayStatusAdapter(),
        GHLTagsAdapter(),
    ]

    /// Every registered kind, in ``adapters`` order.
    public static let kinds: [DestinationKind] = adapters.map(\.kind)

    private static let byRawValue: [String: any DestinationAdapter] = Dictionary(
        adapters.map { ($0.kind.rawValue, $0) },
        uniquingKeysWith: { first, _ in first }
    )

    /// The adapter for `kind`; nil for a kind no adapter serves.
    public static func adapter(for kind: DestinationKind) -> (any DestinationAdapter)? { byRawValue[kind.rawValue] }

    /// The adapter whose kind is spelled `rawValue`.
    static func adapter(for rawValue: String) -> (any DestinationAdapter)? { byRawValue[rawValue] }

    /// The kinds in words for help and error texts: `ghl, ghl_v1, momence, npa or http`.
    public static var kindList: String {
        let names = kinds.map(\.rawValue)
        guard let last = names.last, names.count > 1 else { return names.joined() }
        return names.dropLast().joined(separator: ", ") + " or " + last
    }
}
