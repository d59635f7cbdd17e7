import Foundation

/// The checks a sequence step passes immediately before it sends (not only when it was
/// scheduled: a reply that lands a second before the step stops it):
///
/// 1. the enrollment is still active and at this step;
/// 2. its `unless` conditions do not hold (`replied` since the enrollment, an operator's
///    `stage_changed`): if one does, the enrollment exits with it as the reason;
/// 3. the step is not more than the sequence's expiry late (else the enrollment expires) and its
///    window is open now (else it waits for the next opening: never at night);
/// 4. for a Florida/Oklahoma lead under the sales rules, fewer than 3 step messages went out in
///    the last 24 hours (else it waits until the oldest is 24 hours old).
///
/// The `only_if` CRM status is checked after these, by a call (``MondayStatusQuery``).
public enum SequenceStepCheck: Sendable, Hashable {
    /// Send now.
    case send
    /// Not now: try again at `until`, for `reason`.
    case wait(until: Date, reason: String)
    /// End the enrollment with `status` (`exited`, `expired`) and `reason`; the step is skipped.
    case end(status: String, reason: String)
    /// The enrollment ended, or moved past this step, before it was sent: skip it, change nothing.
    case stale(reason: String)

    /// The decision for `facts` at `now`; `isMessage` says whether the step sends a message to the
    /// lead (only messages count toward the sales rules' cap).
    public static func decide(_ facts: SequenceStepFacts, now: Date, isMessage: Bool) -> SequenceStepCheck {
        guard facts.status == "active" else {
            return .stale(reason: "the enrollment ended (\(facts.status)\(facts.exitReason.map { ": \($0)" } ?? "")) before this step")
        }
        guard facts.nextStep == facts.stepIndex, facts.definition.steps.indices.contains(facts.stepIndex) else {
            return .stale(reason: "the enrollment is at step \(facts.nextStep + 1), not step \(facts.stepIndex + 1)")
        }
        let step = facts.definition.steps[facts.stepIndex]
        for condition in step.unless {
            switch condition {
            case .replied:
                if let reply = facts.lastReplyAt, reply >= facts.enrolledAt { return .end(status: "exited", reason: "replied") }
            case .stageChanged:
                if facts.operatorChangedStage { return .end(status: "exited", reason: "stage_changed") }
            }
        }
        let window = facts.definition.window(for: step, phone: facts.phone)
        let expiry = TimeInterval(facts.definition.expireAfterSeconds)
        switch StepSendDecision.decide(due: facts.dueAt ?? now, now: now, window: window, expiry: expiry) {
        case .send: break
        case .wait(let until):
            let reason =
                (facts.dueAt ?? now) > now
                ? "not due yet"
                : "outside the send window \(window); waits until \(ScheduledStep.localText(until, in: window.timeZone))"
            return .wait(until: until, reason: reason)
        case .expire(let lateBy):
            let hours = Int(lateBy / 3_600)
            return .end(
                status: "expired",
                reason: "step \(facts.stepIndex + 1) was \(hours) h overdue (limit \(facts.definition.expireAfterSeconds / 3_600) h)"
            )
        case .windowNeverOpens:
            return .end(status: "exited", reason: "window_never_opens")
        }
        if isMessage, facts.definition.salesRules, SalesJurisdiction.of(phone: facts.phone) != nil,
            let wait = salesCapWait(recent: facts.recentStepMessages, now: now, window: window)
        {
            return wait
        }
        return .send
    }

    /// The sales rules' cap for a lead whose sales messages (or slots taken for them) were at
    /// `recent`: nil when one more may go at `now`; else a wait until the oldest of the last 24
    /// hours is 24 hours old, moved into `window`.
    public static func salesCapWait(recent: [Date], now: Date, window: SendWindow) -> SequenceStepCheck? {
        let recent = recent.filter { now.timeIntervalSince($0) < 24 * 3_600 }.sorted()
        guard recent.count >= SalesJurisdiction.messagesPer24Hours, let oldest = recent.first else { return nil }
        let free = oldest.addingTimeInterval(24 * 3_600)
        let opening = window.nextOpening(atOrAfter: free) ?? free
        return .wait(
            until: opening,
            reason: "\(SalesJurisdiction.messagesPer24Hours) sales messages in 24 h already (Florida/Oklahoma rule); waits until "
                + ScheduledStep.localText(opening, in: window.timeZone)
        )
    }
}
