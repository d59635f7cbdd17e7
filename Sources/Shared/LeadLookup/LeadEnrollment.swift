import Foundation

/// One of a lead's follow-up sequence enrollments, as its detail shows it.
public struct LeadEnrollment: Sendable, Hashable, Codable {
    public var id: Int64
    /// The sequence's name.
    public var sequence: String
    /// The version of the definition the lead started with.
    public var sequenceVersion: Int
    /// `active`, `completed`, `exited` or `expired`.
    public var status: String
    public var exitReason: String?
    /// The next step's index (0-based).
    public var nextStep: Int
    /// When it goes, once scheduled (later than scheduled when a check before the send put it off).
    public var nextDueAt: Date?
    public var enrolledAt: Date
    public var endedAt: Date?
    /// The next step's destination, while the enrollment is active.
    public var nextStepDestination: String?
    /// ``nextDueAt`` in the sequence's zone (`2025-03-29 08:00 +03:00 Asia/Jerusalem`).
    public var nextDueLocal: String?
    /// The window applied to the next step (`08:00–21:00 every day Asia/Jerusalem`).
    public var nextStepWindow: String?

    enum CodingKeys: String, CodingKey {
        case id, sequence, status
        case sequenceVersion = "sequence_version"
        case exitReason = "exit_reason"
        case nextStep = "next_step"
        case nextDueAt = "next_due_at"
        case enrolledAt = "enrolled_at"
        case endedAt = "ended_at"
        case nextStepDestination = "next_step_destination"
        case nextDueLocal = "next_due_local"
        case nextStepWindow = "next_step_window"
    }
}
