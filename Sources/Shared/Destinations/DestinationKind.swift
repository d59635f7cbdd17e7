/// Which destination a ``Destination`` delivers to (`destinations.kind`): the raw value names
/// one adapter in ``DestinationRegistry``. Each adapter folder declares its own constant
/// (`DestinationKind.momence` in `Momence/`), so a new destination adds no case anywhere else.
public struct DestinationKind: RawRepresentable, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// `ghl`, `ghl_v1`, `momence`, `npa`, `http`…: what is stored and typed (`--kind`).
    public let rawValue: String

    /// The registered kind named `rawValue`; nil for a name no adapter in ``DestinationRegistry`` has.
    public init?(rawValue: String) {
        guard DestinationRegistry.adapter(for: rawValue) != nil else { return nil }
        self.rawValue = rawValue
    }

    /// A kind an adapter declares (its folder's constant); not checked against the registry.
    init(declaring rawValue: String) {
        self.rawValue = rawValue
    }

    /// Every registered kind, in registry order.
    public static var allCases: [DestinationKind] { DestinationRegistry.kinds }

    /// The registered adapter's name for people (`GoHighLevel v1`); the raw value for an unknown kind.
    public var displayName: String { DestinationRegistry.adapter(for: rawValue)?.displayName ?? rawValue }

    /// The raw value.
    public var description: String { rawValue }
}
