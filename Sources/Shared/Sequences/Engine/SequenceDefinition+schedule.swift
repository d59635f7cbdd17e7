import Foundation

extension SequenceDefinition {
    /// The window step `step` sends in for a lead with phone `phone`: the step's own, else the
    /// sequence's, limited to 08:00–20:00 in the lead's local time when ``salesRules`` is on and
    /// the phone's area code is in Florida or Oklahoma (``SalesJurisdiction``).
    public func window(for step: SequenceStep, phone: String?) -> SendWindow {
        let base = step.window ?? window
        guard salesRules, let jurisdiction = SalesJurisdiction.of(phone: phone) else { return base }
        return base.restricted(to: jurisdiction.timeZones(phone: phone))
    }

    /// What comes after the enrollment's steps before `index` ran, the last of them (or the
    /// enrollment) at `previous`.
    public func plan(step index: Int, after previous: Date, phone: String?) -> SequenceStepPlan {
        guard steps.indices.contains(index) else { return .finished }
        let step = steps[index]
        guard let scheduled = ScheduledStep(after: previous, delay: step.delay, window: window(for: step, phone: phone)) else {
            return .windowNeverOpens(index: index)
        }
        return .deliver(index: index, destinationId: step.destinationId, at: scheduled)
    }
}

/// What the scheduler does with an enrollment whose next step is to be scheduled.
public enum SequenceStepPlan: Sendable, Hashable {
    /// Create step `index`'s delivery to `destinationId`, due at `at.due`.
    case deliver(index: Int, destinationId: UUID, at: ScheduledStep)
    /// No step is left: the enrollment is completed.
    case finished
    /// Step `index`'s window never opens again (blackout dates): the enrollment ends.
    case windowNeverOpens(index: Int)
}
