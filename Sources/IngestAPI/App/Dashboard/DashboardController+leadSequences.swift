import Foundation
import HTTPTypes
import Hummingbird
import Shared

extension DashboardController {
    /// The lead page's sequences: each enrollment's timeline, and the forms to enroll and unenroll.
    struct LeadSequencesView {
        /// One step of an enrollment (or one of its `on_reply` deliveries).
        struct Step {
            /// `1`, or `on reply 1`.
            var number: String
            var destination: String
            /// `after 24h`; nil for an `on_reply` delivery.
            var delay: String?
            /// A delivery status (`succeeded`, `scheduled`, …), `next`, `waiting` or `not sent`.
            var state: String
            /// When it finished, or is due (in UTC and in the window's zone).
            var at: String?
            /// Why it failed or was skipped.
            var detail: String?
        }
        struct Enrollment {
            var sequenceId: String
            var sequence: String
            var version: Int
            var status: String
            var active: Bool
            var enrolledAt: String
            var enrolledBy: String
            var next: SequenceText.NextStep?
            /// Why and when it stopped; nil while active.
            var stopped: String?
            var steps: [Step]
        }
        var enrollments: [Enrollment]
        /// The tenant's enabled sequences.
        var choices: [Option]
        /// Whether there is a sequence to enroll in (stored: templates read stored properties only).
        var canEnroll: Bool
    }

    func addLeadSequenceRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("leads/{id}/sequences/enroll") { request, context in try await changeLeadEnrollment(enroll: true, request, context) }
        group.post("leads/{id}/sequences/unenroll") { request, context in try await changeLeadEnrollment(enroll: false, request, context) }
    }

    /// The sequences section of the page of lead `leadId` of tenant `tenantId`.
    func leadSequences(leadId: Int64, tenantId: UUID) async throws -> LeadSequencesView {
        let (lines, sequences) = try await withDatabaseTimeLimit { [stores, logger, sequenceReport] in
            (
                try await sequenceReport.enrollments(leadId: leadId, tenantId: tenantId),
                try await SequenceStore(client: stores.postgres, logger: logger).list(tenantId: tenantId)
            )
        }
        let choices = sequences.filter(\.enabled).map { Option(value: Self.slug($0.id), label: $0.name, selected: false) }
        return LeadSequencesView(
            enrollments: lines.map { line in
                LeadSequencesView.Enrollment(
                    sequenceId: Self.slug(line.enrollment.sequenceId),
                    sequence: line.sequenceName,
                    version: line.enrollment.sequenceVersion,
                    status: line.enrollment.status,
                    active: line.enrollment.status == "active",
                    enrolledAt: DashboardFormat.time(line.enrollment.enrolledAt),
                    enrolledBy: line.enrollment.enrolledBy,
                    next: SequenceText.nextStep(of: line),
                    stopped: SequenceText.stopped(line.enrollment),
                    steps: Self.timeline(of: line)
                )
            },
            choices: choices,
            canEnroll: !choices.isEmpty
        )
    }

    /// The steps of `line`'s enrollment with what happened to each, then its `on_reply` deliveries.
    private static func timeline(of line: SequenceReport.EnrollmentLine) -> [LeadSequencesView.Step] {
        let enrollment = line.enrollment
        let deliveries = Dictionary(line.steps.map { ($0.stepIndex, $0) }, uniquingKeysWith: { first, _ in first })
        func stepDone(_ delivery: SequenceReport.StepDelivery, number: String, delay: String?, zone: TimeZone) -> LeadSequencesView.Step {
            let due = delivery.status == "scheduled" || delivery.status == "retrying" ? delivery.nextAttemptAt : nil
            let at = due.map { "due \(ScheduledStep.utcText($0)) (\(ScheduledStep.localText($0, in: zone)))" }
            return LeadSequencesView.Step(
                number: number,
                destination: delivery.destinationName,
                delay: delay,
                state: delivery.status,
                at: at ?? DashboardFormat.time(delivery.finishedAt ?? delivery.updatedAt),
                detail: delivery.lastError?.nonEmpty
            )
        }
        var steps: [LeadSequencesView.Step] = []
        let definition = line.snapshot
        for (index, step) in (definition?.steps ?? []).enumerated() {
            let zone = definition?.window(for: step, phone: line.leadPhone).timeZone ?? .gmt
            if let delivery = deliveries[index] {
                steps.append(stepDone(delivery, number: "\(index + 1)", delay: step.delay.description, zone: zone))
                continue
            }
            let state =
                enrollment.status != "active"
                ? "not sent" : index == enrollment.nextStep ? "next" : index > enrollment.nextStep ? "waiting" : "not sent"
            steps.append(.init(number: "\(index + 1)", destination: step.destinationName, delay: step.delay.description, state: state))
        }
        if definition == nil {
            for delivery in line.steps where delivery.stepIndex >= 0 {
                steps.append(stepDone(delivery, number: "\(delivery.stepIndex + 1)", delay: nil, zone: .gmt))
            }
        }
        for delivery in line.steps where delivery.stepIndex < 0 {
            steps.append(stepDone(delivery, number: "on reply \(-delivery.stepIndex)", delay: nil, zone: definition?.timeZone ?? .gmt))
        }
        return steps
    }

    /// Enrolls the route's lead in the posted sequence, or ends its enrollment there, as the signed-in user.
    private func changeLeadEnrollment(enroll: Bool, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.requireDashboardUser()
        let form = try context.requireDashboardForm()
        guard let leadId = context.parameters.get("id").flatMap(Int64.init),
            let lead = try await withDatabaseTimeLimit({ [stores, logger] in
                try await LeadLookup(client: stores.postgres, logger: logger).detail(leadId: leadId, tenantId: user.tenantScope)
            })
        else {
            return try notFound(request, context, "lead", back: "/dashboard/leads")
        }
        let back = "/dashboard/leads/\(leadId)"
        guard let sequenceId = form.value("sequence").flatMap(UUID.init(uuidString:)),
            let sequence = try await findSequence(sequenceId, tenantId: lead.summary.tenantId)
        else { return DashboardResponder.redirect(back, notice: "Choose one of the sequences.", context: context) }
        let enrollments = SequenceEnrollmentStore(client: stores.postgres, logger: logger)
        let notice: String
        if enroll {
            let result = try await withDatabaseTimeLimit { try await enrollments.enroll(leadId: leadId, in: sequence, actor: user.email) }
            notice =
                switch result {
                case .enrolled(let enrollment): "Enrolled in “\(sequence.name)” (version \(enrollment.sequenceVersion))."
                case .alreadyActive: "The lead already runs through “\(sequence.name)”."
                case .reentryRefused: "“\(sequence.name)” takes each lead once, and this lead was in it before."
                case .sequenceDisabled: "“\(sequence.name)” is disabled: it takes no new leads."
                }
        } else {
            let ended = try await withDatabaseTimeLimit {
                try await enrollments.unenroll(leadId: leadId, from: sequence, reason: "unenrolled by \(user.email)", actor: user.email)
            }
            notice = ended == nil ? "The lead was not running through “\(sequence.name)”." : "Unenrolled from “\(sequence.name)”."
        }
        return DashboardResponder.redirect(back, notice: notice, context: context)
    }
}
