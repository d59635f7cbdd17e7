import Foundation

/// One step of a sequence: a delay after the previous step (or the enrollment), a destination to
/// deliver to (any kind: a message, a CRM, a Monday status), conditions checked immediately before
/// it sends, and optionally its own send window.
public struct SequenceStep: Sendable, Hashable {
    /// The destination the step delivers to.
    public var destinationId: UUID
    /// The destination's name when the sequence was saved (for pages and `leadctl`).
    public var destinationName: String
    /// How long after the previous step it is due, before the window moves it.
    public var delay: StepDelay
    /// Conditions that skip the step (and end the enrollment) when they hold at send time.
    public var unless: [SequenceCondition]
    /// The CRM status the lead's item must still have when the step sends (e.g. Monday's
    /// "נשלחה הודעה"); nil for no check.
    public var onlyIfCRMStatus: CRMStatusCheck?
    /// A window replacing the sequence's for this step; nil: the sequence's.
    public var window: SendWindow?

    /// A check of the lead's status in a CRM through a destination that can read it.
    public struct CRMStatusCheck: Sendable, Hashable {
        /// The status label the item must have, byte for byte (Hebrew included).
        public var label: String
        /// The destination whose adapter reads the status (a `monday_status` destination).
        public var destinationId: UUID
        /// Its name when saved.
        public var destinationName: String
    }
}

/// A condition a step checks immediately before it sends.
public enum SequenceCondition: String, Sendable, Hashable, CaseIterable {
    /// The lead replied on any channel since the enrollment.
    case replied
    /// An operator changed the lead's stage since the enrollment.
    case stageChanged = "stage_changed"
}

/// What ends an enrollment besides its last step.
public enum SequenceExitEvent: String, Sendable, Hashable, CaseIterable {
    /// A reply on any channel.
    case reply
    /// An opt-out on any channel.
    case optOut = "opt_out"
    /// An operator changed the lead's stage.
    case stageChanged = "stage_changed"
}

/// Whether a lead may enter a sequence again.
public enum SequenceReentry: String, Sendable, Hashable, CaseIterable {
    /// Never: one enrollment per lead, ever.
    case never
    /// After its previous enrollment ended (one active enrollment at a time).
    case afterExit = "after_exit"
}
