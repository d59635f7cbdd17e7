import Foundation

/// What to do with a due step at the moment a worker is about to send it. Checked immediately
/// before every send (a retry, a worker or Redis outage, or a backlog can bring a step to a worker
/// long after it was scheduled):
///
/// - more than the expiry limit late: the enrollment ends `expired`, instead of surprising a lead
///   days later;
/// - the window is closed now (the outage ran past its end): wait for the next opening — never
///   send at night;
/// - not yet due: wait until it is;
/// - otherwise send.
public enum StepSendDecision: Sendable, Hashable {
    /// Send now.
    case send
    /// Not now; try again at this instant.
    case wait(until: Date)
    /// Too late: end the enrollment as expired.
    case expire(lateBy: TimeInterval)
    /// The window never opens again (blackout dates): end the enrollment.
    case windowNeverOpens

    /// The default limit on lateness before a step expires: 72 hours.
    public static let defaultExpiry: TimeInterval = 72 * 3_600

    /// The decision for a step due at `due` under `window`, at `now`.
    public static func decide(due: Date, now: Date, window: SendWindow, expiry: TimeInterval = defaultExpiry) -> StepSendDecision {
        if now < due { return .wait(until: due) }
        let late = now.timeIntervalSince(due)
        if late > expiry { return .expire(lateBy: late) }
        guard let opening = window.nextOpening(atOrAfter: now) else { return .windowNeverOpens }
        return opening <= now ? .send : .wait(until: opening)
    }
}
