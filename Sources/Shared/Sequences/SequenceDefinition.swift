import Foundation

/// A follow-up sequence as saved: its time zone, send window, ordered steps and the rules that
/// end an enrollment. Built from the JSON a user writes (``init(json:tenantTimeZone:defaultSalesRules:destinations:)``),
/// checked field by field, with destination names resolved to ids; stored as ``json``.
///
/// ```json
/// {"time_zone": "Asia/Jerusalem",
///  "window": {"start": "08:00", "end": "21:00", "days": ["sun", "mon", "tue", "wed", "thu"]},
///  "steps": [{"destination": "WhatsApp welcome"},
///            {"destination": "Monday: sent"},
///            {"destination": "WhatsApp follow-up", "after": "24h", "unless": ["replied"],
///             "only_if": {"crm_status": "נשלחה הודעה", "via": "Monday: sent"}},
///            {"destination": "Monday: no answer 1"}],
///  "on_reply": ["Monday: meeting set"], "goal_stage": "appointment_set"}
/// ```
public struct SequenceDefinition: Sendable, Hashable {
    /// The zone windows and wall-clock delays are read in.
    public var timeZone: TimeZone
    /// When steps may send; ``SendWindow/always(in:)`` when the definition has none.
    public var window: SendWindow
    /// The steps, in order (1 to ``maximumSteps``).
    public var steps: [SequenceStep]
    /// What ends an enrollment early (default: a reply, an opt-out, an operator's stage change).
    public var exitOn: Set<SequenceExitEvent>
    /// A stage that ends the enrollment as reaching its goal (e.g. `appointment_set`).
    public var goalStage: LeadStage?
    /// Destinations delivered to when an enrolled lead replies (e.g. Monday "meeting set").
    public var onReply: [(id: UUID, name: String)]
    /// Whether a lead may enter again.
    public var reentry: SequenceReentry
    /// How late a step may be before the enrollment ends as expired.
    public var expireAfterSeconds: Int
    /// Florida/Oklahoma leads get 08:00–20:00 and at most 3 messages per 24 h.
    public var salesRules: Bool

    /// The most steps a sequence may have.
    public static let maximumSteps = 20

    public static func == (lhs: SequenceDefinition, rhs: SequenceDefinition) -> Bool { lhs.json == rhs.json }
    public func hash(into hasher: inout Hasher) { hasher.combine(json) }
}
