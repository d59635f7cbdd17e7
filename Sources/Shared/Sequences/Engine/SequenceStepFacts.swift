import Foundation

/// What a worker knows about a step's enrollment at the moment it is about to send the step,
/// read from PostgreSQL in one query (``SequenceStepCheck``'s input).
public struct SequenceStepFacts: Sendable {
    /// The enrollment's status (`active`, `completed`, `exited`, `expired`) and why it ended.
    public var status: String
    public var exitReason: String?
    /// The definition the enrollment started with.
    public var definition: SequenceDefinition
    /// The step the enrollment is at, and the step this delivery carries.
    public var nextStep: Int
    public var stepIndex: Int
    /// When the step was due (after its window was applied); nil when not scheduled.
    public var dueAt: Date?
    public var enrolledAt: Date
    /// The lead's phone (E.164), for the Florida/Oklahoma rules.
    public var phone: String?
    /// The lead's last reply on any channel.
    public var lastReplyAt: Date?
    /// Whether an operator changed the lead's stage since the enrollment.
    public var operatorChangedStage: Bool
    /// When the sequence steps sent this lead messages, or took a sales-message slot for one, in
    /// the last 24 hours (any of its enrollments), oldest first.
    public var recentStepMessages: [Date]

    public init(
        status: String,
        exitReason: String? = nil,
        definition: SequenceDefinition,
        nextStep: Int,
        stepIndex: Int,
        dueAt: Date?,
        enrolledAt: Date,
        phone: String?,
        lastReplyAt: Date? = nil,
        operatorChangedStage: Bool = false,
        recentStepMessages: [Date] = []
    ) {
        self.status = status
        self.exitReason = exitReason
        self.definition = definition
        self.nextStep = nextStep
        self.stepIndex = stepIndex
        self.dueAt = dueAt
        self.enrolledAt = enrolledAt
        self.phone = phone
        self.lastReplyAt = lastReplyAt
        self.operatorChangedStage = operatorChangedStage
        self.recentStepMessages = recentStepMessages
    }
}
