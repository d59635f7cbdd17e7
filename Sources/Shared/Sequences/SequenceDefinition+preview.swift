import Foundation

extension SequenceDefinition {
    /// When each step would send if a lead entered at `enrolledAt` and every step sent on time:
    /// each step's nominal time is the previous step's due time plus its delay, moved into its
    /// window (the step's own, else the sequence's). A step whose window never opens again ends
    /// the list.
    public func preview(enrolledAt: Date) -> [ScheduledStep] {
        var previous = enrolledAt
        var schedule: [ScheduledStep] = []
        for step in steps {
            guard let scheduled = ScheduledStep(after: previous, delay: step.delay, window: step.window ?? window) else { break }
            schedule.append(scheduled)
            previous = scheduled.due
        }
        return schedule
    }
}
