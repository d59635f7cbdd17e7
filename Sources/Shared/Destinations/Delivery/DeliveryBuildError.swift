import Foundation

/// Why a lead cannot be turned into a request for a destination: a permanent failure decided
/// before any call (the lead lacks what the destination requires, or the destination is
/// misconfigured).
public struct DeliveryBuildError: Error, Sendable, Hashable, CustomStringConvertible {
    /// ``DeliveryErrorClass/invalidLead``, ``DeliveryErrorClass/configuration`` or, for a lead the
    /// channel cannot reach, ``DeliveryErrorClass/noAddress`` / ``DeliveryErrorClass/optedOut``.
    public var errorClass: DeliveryErrorClass
    /// A sentence for the operator, e.g. `Momence requires an email; the lead has none`.
    public var reason: String

    /// A failure of `errorClass` with `reason`.
    public init(_ errorClass: DeliveryErrorClass, _ reason: String) {
        self.errorClass = errorClass
        self.reason = reason
    }

    /// The lead lacks a field the destination requires.
    public static func invalidLead(_ reason: String) -> Self { .init(.invalidLead, reason) }
    /// The lead has no address on the destination's channel (no E.164 phone, no email): the
    /// delivery is skipped, not dead.
    public static func noAddress(_ reason: String) -> Self { .init(.noAddress, reason) }
    /// The destination's configuration or credential is missing or wrong.
    public static func configuration(_ reason: String) -> Self { .init(.configuration, reason) }

    /// The destination's kind has no adapter in ``DestinationRegistry``.
    public static func unknownKind(_ kind: DestinationKind) -> Self {
        .configuration("destination kind \(kind.rawValue) is not one LeadRelay delivers to")
    }

    /// The outcome recorded for this failure: skipped for a lead the channel cannot reach,
    /// otherwise permanent (no HTTP status, no excerpt).
    public var outcome: DeliveryOutcome {
        if errorClass.skips { return .skipped(reason: reason, errorClass: errorClass) }
        return .permanent(reason: reason, httpStatus: nil, errorClass: errorClass, responseExcerpt: nil)
    }

    /// The reason.
    public var description: String { reason }
}
