import Foundation
import HTTPTypes
import Hummingbird
import Shared

extension DashboardController {
    /// One sequence in the list.
    struct SequenceRow {
        var id: String
        var name: String
        var tenant: String
        var version: Int
        var enabled: Bool
        /// `4`, or `?` when the stored definition cannot be read.
        var steps: String
        var active: Int
        var completed: Int
        var exited: Int
        var expired: Int
        /// The sources whose new leads enter it; nil for none.
        var sources: String?
    }

    struct SequencesView {
        var chrome: DashboardChrome
        var rows: [SequenceRow]
        var showTenant: Bool
    }

    /// One page of a sequence: its definition as a step list, a preview, and how its enrollments went.
    struct SequenceView {
        /// A step with what its deliveries did.
        struct Step {
            var number: Int
            var destination: String
            var delay: String
            var conditions: String?
            /// The step's own window; nil when it uses the sequence's.
            var window: String?
            var succeeded: Int
            var skipped: Int
            var dead: Int
            var scheduled: Int
            /// Queued, processing or retrying.
            var inFlight: Int
        }
        struct Ending {
            var status: String
            var reason: String
            var count: Int
        }
        struct Enrollment {
            var leadId: Int64
            var lead: String
            var version: Int
            var status: String
            var next: SequenceText.NextStep?
            var stopped: String?
            var enrolledAt: String
        }
        var chrome: DashboardChrome
        var id: String
        var name: String
        var version: Int
        var enabled: Bool
        var settings: [LeadView.Field]
        /// Why the stored definition cannot be shown; nil when it can.
        var unreadable: String?
        var steps: [Step]
        /// The `on_reply` deliveries, like steps.
        var replyActions: [Step]
        var previewAt: String
        var preview: [SequenceText.PreviewLine]
        /// Stored: templates read stored properties only.
        var hasPreview = false
        var endings: [Ending]
        var enrollments: [Enrollment]
    }

    func addSequenceRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("sequences") { request, context in try await sequenceList(request, context) }
        group.get("sequences/{id}") { request, context in try await sequencePage(request, context) }
        addSequenceFormRoutes(to: group)
        addLeadSequenceRoutes(to: group)
    }

    /// The sequence of the route's id if the user may see it; nil otherwise (another tenant's is nil too).
    func routeSequence(_ context: AppRequestContext) async throws -> FollowUpSequence? {
        let user = try context.requireDashboardUser()
        guard let id = Self.routeId(context) else { return nil }
        return try await findSequence(id, tenantId: user.tenantScope)
    }

    /// The sequence `id` within `tenantId` (any tenant's when nil); nil when there is none.
    func findSequence(_ id: UUID, tenantId: UUID?) async throws -> FollowUpSequence? {
        try await withDatabaseTimeLimit { [stores, logger] in
            do {
                return try await SequenceStore(client: stores.postgres, logger: logger).find(id.uuidString, tenantId: tenantId)
            } catch StoreError.notFound {
                return nil
            }
        }
    }

    /// The report queries for this request.
    var sequenceReport: SequenceReport { SequenceReport(client: stores.postgres, logger: logger) }

    private func sequenceList(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.requireDashboardUser()
        let summaries = try await withDatabaseTimeLimit { [sequenceReport] in try await sequenceReport.summaries(tenantId: user.tenantScope) }
        let tenants = try await tenantNames(for: user)
        let rows = summaries.map { summary in
            let sequence = summary.sequence
            return SequenceRow(
                id: Self.slug(sequence.id),
                name: sequence.name,
                tenant: tenants[sequence.tenantId] ?? "",
                version: sequence.version,
                enabled: sequence.enabled,
                steps: (try? sequence.definition().steps.count).map(String.init) ?? "?",
                active: summary.enrollments["active"] ?? 0,
                completed: summary.enrollments["completed"] ?? 0,
                exited: summary.enrollments["exited"] ?? 0,
                expired: summary.enrollments["expired"] ?? 0,
                sources: summary.sources.isEmpty ? nil : summary.sources.joined(separator: ", ")
            )
        }
        let view = SequencesView(chrome: try responder.chrome(request, context), rows: rows, showTenant: user.role == .operator)
        return responder.page("sequences", view)
    }

    private func sequencePage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let sequence = try await routeSequence(context) else { return try sequenceNotFound(request, context) }
        let (counts, endings, enrollments, summaries) = try await withDatabaseTimeLimit { [sequenceReport] in
            (
                try await sequenceReport.stepCounts(sequenceId: sequence.id),
                try await sequenceReport.endings(sequenceId: sequence.id),
                try await sequenceReport.recentEnrollments(sequenceId: sequence.id, limit: 50),
                try await sequenceReport.summaries(tenantId: sequence.tenantId)
            )
        }
        let now = Date()
        var view = SequenceView(
            chrome: try responder.chrome(request, context),
            id: Self.slug(sequence.id),
            name: sequence.name,
            version: sequence.version,
            enabled: sequence.enabled,
            settings: [],
            unreadable: nil,
            steps: [],
            replyActions: [],
            previewAt: "\(ScheduledStep.utcText(now))",
            preview: [],
            endings: endings.map { SequenceView.Ending(status: $0.status, reason: $0.reason, count: $0.count) },
            enrollments: enrollments.map { line in
                SequenceView.Enrollment(
                    leadId: line.enrollment.leadId,
                    lead: line.leadLabel,
                    version: line.enrollment.sequenceVersion,
                    status: line.enrollment.status,
                    next: SequenceText.nextStep(of: line),
                    stopped: SequenceText.stopped(line.enrollment),
                    enrolledAt: DashboardFormat.time(line.enrollment.enrolledAt)
                )
            }
        )
        let sources = summaries.first { $0.sequence.id == sequence.id }?.sources ?? []
        do {
            let definition = try sequence.definition()
            view.settings = Self.sequenceSettings(definition, sources: sources)
            view.steps = definition.steps.enumerated().map { index, step in
                Self.sequenceStep(
                    number: index + 1,
                    destination: step.destinationName,
                    counts: counts.first { $0.stepIndex == index },
                    delay: step.delay.description,
                    conditions: SequenceText.conditions(of: step),
                    window: step.window?.description
                )
            }
            view.replyActions = definition.onReply.enumerated().map { index, action in
                Self.sequenceStep(number: index + 1, destination: action.name, counts: counts.first { $0.stepIndex == -(index + 1) })
            }
            view.preview = SequenceText.preview(of: definition, enrolledAt: now)
            view.hasPreview = !view.preview.isEmpty
        } catch {
            view.unreadable = error.description
        }
        return responder.page("sequence", view)
    }

    /// The settings a sequence page lists above its steps.
    static func sequenceSettings(_ definition: SequenceDefinition, sources: [String]) -> [LeadView.Field] {
        // `after 24h` without its `after `.
        let lateness = StepDelay.elapsed(seconds: definition.expireAfterSeconds).description.replacingOccurrences(of: "after ", with: "")
        return [
            .init(label: "Time zone", value: definition.timeZone.identifier),
            .init(label: "Send window", value: definition.window == .always(in: definition.timeZone) ? "always open" : definition.window.description),
            .init(label: "Ends on", value: SequenceText.exits(of: definition)),
            .init(label: "On reply", value: definition.onReply.isEmpty ? "nothing" : definition.onReply.map(\.name).joined(separator: ", ")),
            .init(label: "Re-entry", value: definition.reentry == .never ? "never: one enrollment per lead" : "after the previous one ended"),
            .init(label: "Expires", value: "when a step would send more than \(lateness) late"),
            .init(label: "Sales rules", value: definition.salesRules ? "on (Florida and Oklahoma: 08:00–20:00, at most 3 messages a day)" : "off"),
            .init(
                label: "Fed by sources",
                value: sources.isEmpty ? "none (leads enter only when enrolled by hand)" : sources.joined(separator: ", ")
            ),
        ]
    }

    private static func sequenceStep(
        number: Int,
        destination: String,
        counts: SequenceReport.StepCounts?,
        delay: String = "",
        conditions: String? = nil,
        window: String? = nil
    ) -> SequenceView.Step {
        let statuses = counts?.statuses ?? [:]
        return SequenceView.Step(
            number: number,
            destination: destination,
            delay: delay,
            conditions: conditions,
            window: window,
            succeeded: statuses["succeeded"] ?? 0,
            skipped: statuses["skipped"] ?? 0,
            dead: statuses["dead"] ?? 0,
            scheduled: statuses["scheduled"] ?? 0,
            inFlight: ["pending", "queued", "processing", "retrying"].reduce(0) { $0 + (statuses[$1] ?? 0) }
        )
    }

    /// The 404 of a sequence that does not exist or belongs to another tenant.
    func sequenceNotFound(_ request: Request, _ context: AppRequestContext) throws -> Response {
        try notFound(request, context, "sequence", back: "/dashboard/sequences")
    }
}
