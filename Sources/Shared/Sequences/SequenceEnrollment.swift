import Foundation

/// One lead's run through a sequence (`sequence_enrollments`): the version and snapshot of the
/// definition it started with, its state, and the step it is at.
public struct SequenceEnrollment: Sendable, Hashable, Codable {
    public var id: Int64
    public var tenantId: UUID
    public var sequenceId: UUID
    public var leadId: Int64
    /// The sequence's version when the lead entered; the snapshot is that version's definition.
    public var sequenceVersion: Int
    /// `active`, `completed`, `exited` or `expired`.
    public var status: String
    /// Why it ended early: `replied`, `opted_out`, `unenrolled by leadctl:ana`…
    public var exitReason: String?
    /// The index of the next step to run.
    public var nextStep: Int
    /// When that step goes: its scheduled time, or later when a check before the send put it off
    /// (a closed window, the sales rules' cap); nil until it is scheduled.
    public var nextDueAt: Date?
    public var enrolledAt: Date
    public var endedAt: Date?
    /// Who or what enrolled the lead: `source:<id>`, `leadctl:<user>`, a dashboard user.
    public var enrolledBy: String

    enum CodingKeys: String, CodingKey {
        case id, status
        case tenantId = "tenant_id"
        case sequenceId = "sequence_id"
        case leadId = "lead_id"
        case sequenceVersion = "sequence_version"
        case exitReason = "exit_reason"
        case nextStep = "next_step"
        case nextDueAt = "next_due_at"
        case enrolledAt = "enrolled_at"
        case endedAt = "ended_at"
        case enrolledBy = "enrolled_by"
    }
}

/// What an enrollment request did.
public enum SequenceEnrollmentResult: Sendable, Hashable {
    /// The lead entered the sequence.
    case enrolled(SequenceEnrollment)
    /// The lead already runs through it: nothing changed.
    case alreadyActive(SequenceEnrollment)
    /// The sequence allows one enrollment per lead ever (`reentry: never`), and the lead had one.
    case reentryRefused(previous: SequenceEnrollment)
    /// The sequence is disabled: no new enrollments.
    case sequenceDisabled
}
