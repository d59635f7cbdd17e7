import Shared

extension DashboardController {
    /// One destination kind as the destination form explains it, from ``DestinationRegistry``.
    struct DestinationKindGuide {
        var kind: String
        var displayName: String
        /// `locationId (required), country, source…`.
        var fields: String
    }

    /// The kind picker's options: `GoHighLevel (ghl)`…, `selected` marked.
    static func destinationKindOptions(selected: String) -> [Option] {
        DestinationRegistry.adapters.map { adapter in
            let kind = adapter.kind.rawValue
            return Option(value: kind, label: "\(adapter.displayName) (\(kind))", selected: kind == selected)
        }
    }

    /// Every kind with the config fields it reads.
    static let destinationKindGuides: [DestinationKindGuide] = DestinationRegistry.adapters.map { adapter in
        DestinationKindGuide(
            kind: adapter.kind.rawValue,
            displayName: adapter.displayName,
            fields: adapter.configFields.map { $0.isRequired ? "\($0.name) (required)" : $0.name }.joined(separator: ", ")
        )
    }

    /// The kinds' default rate limits: `GoHighLevel 100 / 10 s, … Momence 1 / 3 s`.
    static let defaultRateLimits: String = DestinationRegistry.adapters.compactMap { adapter in
        let policy = adapter.defaultPolicy(name: "", config: [:])
        guard let requests = policy.rateLimitRequests, let interval = policy.rateLimitIntervalMilliseconds else { return nil }
        let window = interval % 1_000 == 0 ? "\(interval / 1_000) s" : "\(interval) ms"
        return "\(adapter.displayName) \(requests) / \(window)"
    }.joined(separator: ", ")
}
