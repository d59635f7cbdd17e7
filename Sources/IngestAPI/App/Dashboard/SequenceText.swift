import Foundation
import Shared

/// How the dashboard words a sequence: a step's delay and conditions, the rules that end an
/// enrollment, when steps would send, and where an enrollment stands.
enum SequenceText {
    /// When one step would send, as a preview shows it.
    struct PreviewLine {
        var number: Int
        var destination: String
        /// `2026-12-08T06:00:00Z`.
        var dueUTC: String
        /// `2026-12-08 08:00 +02:00 Asia/Jerusalem`.
        var dueLocal: String
        /// The window applied.
        var window: String
        /// Why it is later than its delay alone says; nil when the window did not move it.
        var moved: String?
    }

    /// The step an active enrollment runs next.
    struct NextStep {
        var number: Int
        var destination: String
        /// Nil until the worker scheduled it.
        var dueUTC: String?
        var dueLocal: String?
        /// The window applied to this lead (sales rules narrow it by the lead's phone).
        var window: String
    }

    /// `unless replied, stage changed · only if the status is “נשלחה הודעה” (read via Monday: sent)`; nil for none.
    static func conditions(of step: SequenceStep) -> String? {
        var parts: [String] = []
        if !step.unless.isEmpty {
            parts.append("unless " + step.unless.map { $0.rawValue.replacingOccurrences(of: "_", with: " ") }.joined(separator: ", "))
        }
        if let check = step.onlyIfCRMStatus { parts.append("only if the status is “\(check.label)” (read via \(check.destinationName))") }
        return parts.isEmpty ? nil : parts.joined(separator: " · ")
    }

    /// `a reply, an opt-out, a stage change; goal: Appointment set`.
    static func exits(of definition: SequenceDefinition) -> String {
        let words: [SequenceExitEvent: String] = [.reply: "a reply", .optOut: "an opt-out", .stageChanged: "an operator's stage change"]
        var text = SequenceExitEvent.allCases.filter(definition.exitOn.contains).compactMap { words[$0] }.joined(separator: ", ")
        if text.isEmpty { text = "its last step only" }
        if let goal = definition.goalStage { text += "; completed early when the lead reaches the stage \(goal.label)" }
        return text
    }

    /// When each step would send if a lead entered at `enrolledAt`.
    static func preview(of definition: SequenceDefinition, enrolledAt: Date) -> [PreviewLine] {
        zip(definition.steps, definition.preview(enrolledAt: enrolledAt)).enumerated().map { index, pair in
            let (step, scheduled) = pair
            return PreviewLine(
                number: index + 1,
                destination: step.destinationName,
                dueUTC: scheduled.dueUTC,
                dueLocal: scheduled.dueLocal,
                window: scheduled.window.description,
                moved: scheduled.wasMoved
                    ? "moved from \(ScheduledStep.localText(scheduled.nominal, in: scheduled.window.timeZone)) into the window" : nil
            )
        }
    }

    /// The step `line`'s enrollment runs next; nil once it ended or ran every step.
    static func nextStep(of line: SequenceReport.EnrollmentLine) -> NextStep? {
        let enrollment = line.enrollment
        guard enrollment.status == "active", let definition = line.snapshot, definition.steps.indices.contains(enrollment.nextStep) else {
            return nil
        }
        let step = definition.steps[enrollment.nextStep]
        let window = definition.window(for: step, phone: line.leadPhone)
        return NextStep(
            number: enrollment.nextStep + 1,
            destination: step.destinationName,
            dueUTC: enrollment.nextDueAt.map(ScheduledStep.utcText),
            dueLocal: enrollment.nextDueAt.map { ScheduledStep.localText($0, in: window.timeZone) },
            window: window.description
        )
    }

    /// `exited: replied`, `completed`, `expired: step 2 was due …`; nil while active.
    static func stopped(_ enrollment: SequenceEnrollment) -> String? {
        guard enrollment.status != "active" else { return nil }
        var text = enrollment.status
        if let reason = enrollment.exitReason, !reason.isEmpty { text += ": " + reason }
        if let ended = enrollment.endedAt { text += " (\(DashboardFormat.time(ended)))" }
        return text
    }
}
