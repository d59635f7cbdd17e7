import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import Shared

extension DashboardController {
    struct LeadRow {
        var id: Int64
        var name: String
        var email: String
        var phone: String
        var source: String
        var channel: String
        var receivedAt: String
        var spam: Bool
        var statuses: [StatusCount]
        var stage: String
        var stageLabel: String
    }
    /// A stage with its lead count, a link that filters the list by it.
    struct StageCount {
        var stage: String
        var label: String
        var count: Int
        var selected: Bool
    }
    struct StatusCount {
        var status: String
        var count: Int
    }

    struct LeadsView {
        var chrome: DashboardChrome
        var query: String
        var leads: [LeadRow]
        var heading: String
        var olderHref: String?
        /// Every stage with its count; empty while searching.
        var stages: [StageCount]
        var showStages: Bool
        var anyStageSelected: Bool
    }

    struct LeadView {
        struct Field {
            var label: String
            var value: String
        }
        struct Attempt {
            var number: Int
            var startedAt: String
            var outcome: String
            var httpStatus: String
            var errorClass: String
            /// Nil when empty: Mustache sections treat an empty string as present.
            var error: String?
            var duration: Int
            var excerpt: String
            var worker: String
            /// Sent again after an attempt that may already have sent it.
            var possibleDuplicate: Bool
        }
        struct Delivery {
            var id: Int64
            var destination: String
            var kind: String
            var status: String
            var attempts: Int
            // Nil when empty: Mustache sections treat an empty string as present.
            var externalId: String?
            var lastError: String?
            var nextAttemptAt: String?
            var retryable: Bool
            var attemptLog: [Attempt]
        }
        var chrome: DashboardChrome
        var id: Int64
        /// The lead id again, reachable inside delivery sections (whose `id` is the delivery's).
        var leadId: Int64
        var title: String
        var fields: [Field]
        var extraJSON: String
        var rawJSON: String
        var deliveries: [Delivery]
        var stage: String
        var stageLabel: String
        var stages: [Option]
        var conversation: [ConversationEntry]
        var sequences: LeadSequencesView
        /// Edits of the lead's record at its source since it arrived (an edited sheet row).
        var sourceChanges: [LeadSourceChangeView]
        /// Stored: templates read stored properties only.
        var hasSourceChanges: Bool
    }
    /// One message of the lead's conversation as the lead page shows it.
    struct ConversationEntry {
        var at: String
        var incoming: Bool
        var channel: String
        var address: String
        /// An email's subject.
        var subject: String?
        var body: String
        var status: String?
        var error: String?
    }

    func addLeadRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("leads") { request, context in try await leads(request, context) }
        group.get("leads/{id}") { request, context in try await lead(request, context) }
        group.post("leads/{id}/stage") { request, context in try await setStage(request, context) }
    }

    /// Sets the lead's stage from the lead page's form.
    private func setStage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.requireDashboardUser()
        let form = try context.requireDashboardForm()
        guard let id = context.parameters.get("id").flatMap(Int64.init) else { throw HTTPError(.notFound) }
        let back = "/dashboard/leads/\(id)"
        guard let stage = form.value("stage").flatMap(LeadStage.init(rawValue:)) else {
            return DashboardResponder.redirect(back, notice: "Choose one of the stages.", context: context)
        }
        let changed = try await withDatabaseTimeLimit { [stores, logger] in
            try await LeadStageStore(client: stores.postgres, logger: logger)
                .move(leadId: id, tenantId: user.tenantScope, to: stage, actor: user.email, userId: user.id)
        }
        return DashboardResponder.redirect(
            back,
            notice: changed ? "Stage set to \(stage.label)." : "The lead was already \(stage.label).",
            context: context
        )
    }

    private func leads(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.requireDashboardUser()
        let lookup = LeadLookup(client: stores.postgres, logger: logger)
        let text = (DashboardResponder.query(request, "q") ?? "").trimmingCharacters(in: .whitespaces)
        let found: [LeadSummary]
        var olderHref: String?
        var stages: [StageCount] = []
        let stage = DashboardResponder.query(request, "stage").flatMap(LeadStage.init(rawValue:))
        if text.isEmpty {
            let before = DashboardResponder.query(request, "before").flatMap(Int64.init)
            found = try await withDatabaseTimeLimit {
                try await lookup.recent(tenantId: user.tenantScope, before: before, stage: stage, limit: 50)
            }
            if found.count == 50, let last = found.last {
                olderHref = "/dashboard/leads?before=\(last.id)" + (stage.map { "&stage=\($0.rawValue)" } ?? "")
            }
            stages = try await withDatabaseTimeLimit { try await lookup.stageCounts(tenantId: user.tenantScope) }.map {
                StageCount(stage: $0.stage.rawValue, label: $0.stage.label, count: $0.count, selected: $0.stage == stage)
            }
        } else {
            let query = LeadQuery(identifier: text) ?? .any(text)
            found = try await withDatabaseTimeLimit { try await lookup.find(query, tenantId: user.tenantScope, limit: 100) }
        }
        let view = LeadsView(
            chrome: try responder.chrome(request, context),
            query: text,
            leads: found.map(Self.row),
            heading: text.isEmpty
                ? (stage.map { "Newest leads in stage \($0.label)" } ?? "Newest leads")
                : "\(found.count) lead\(found.count == 1 ? "" : "s") matching “\(text)”",
            olderHref: olderHref,
            stages: stages,
            showStages: !stages.isEmpty,
            anyStageSelected: stage != nil
        )
        return responder.page("leads", view)
    }

    static func row(_ lead: LeadSummary) -> LeadRow {
        LeadRow(
            id: lead.id,
            name: [lead.firstName, lead.lastName].compactMap { $0 }.joined(separator: " "),
            email: lead.email ?? "",
            phone: lead.phone ?? lead.phoneRaw ?? "",
            source: lead.sourceName,
            channel: lead.channel,
            receivedAt: DashboardFormat.time(lead.receivedAt),
            spam: lead.status == "spam",
            statuses: lead.deliveryStatuses.sorted { $0.key < $1.key }.map { StatusCount(status: $0.key, count: $0.value) },
            stage: lead.stage,
            stageLabel: LeadStage(rawValue: lead.stage)?.label ?? lead.stage
        )
    }

    private func lead(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.requireDashboardUser()
        guard let id = context.parameters.get("id").flatMap(Int64.init),
            let lead = try await withDatabaseTimeLimit({ [stores, logger] in
                try await LeadLookup(client: stores.postgres, logger: logger).detail(leadId: id, tenantId: user.tenantScope)
            })
        else {
            return try responder.message(
                request,
                context,
                status: .notFound,
                heading: "Lead not found",
                text: "There is no lead with this id that you can see.",
                backHref: "/dashboard/leads"
            )
        }
        let summary = lead.summary
        var fields: [LeadView.Field] = [
            .init(label: "First name", value: summary.firstName ?? ""), .init(label: "Last name", value: summary.lastName ?? ""),
            .init(label: "Email", value: summary.email ?? ""), .init(label: "Phone (E.164)", value: summary.phone ?? ""),
            .init(label: "Phone as typed", value: summary.phoneRaw ?? ""), .init(label: "Postal code", value: lead.postalCode ?? ""),
            .init(label: "Notes", value: lead.notes ?? ""), .init(label: "Source", value: "\(summary.sourceName) (\(summary.channel))"),
            .init(label: "External id", value: summary.externalId ?? ""), .init(label: "Received", value: DashboardFormat.time(summary.receivedAt)),
            .init(label: "Status", value: summary.status),
        ]
        if let contacted = lead.lastContactedAt { fields.append(.init(label: "Last contacted", value: DashboardFormat.time(contacted))) }
        if let replied = lead.lastReplyAt { fields.append(.init(label: "Last reply", value: DashboardFormat.time(replied))) }
        if !lead.flags.isEmpty { fields.append(.init(label: "Flags", value: lead.flags.joined(separator: ", "))) }
        if let importId = lead.importId { fields.append(.init(label: "Import", value: importId.uuidString.lowercased())) }
        if let eventId = lead.inboundEventId { fields.append(.init(label: "Webhook event", value: "#\(eventId)")) }
        let sourceChanges = try await leadSourceChanges(leadId: summary.id, tenantId: summary.tenantId)
        let view = LeadView(
            chrome: try responder.chrome(request, context),
            id: summary.id,
            leadId: summary.id,
            title: [summary.firstName, summary.lastName].compactMap { $0 }.joined(separator: " ").nonEmpty ?? summary.email ?? summary.phoneRaw
                ?? "Lead #\(summary.id)",
            fields: fields.filter { !$0.value.isEmpty },
            extraJSON: lead.extra.isEmpty ? "" : JSONText.pretty(lead.extra),
            rawJSON: lead.raw.map { JSONText.pretty($0) } ?? "",
            deliveries: lead.deliveries.map { delivery in
                .init(
                    id: delivery.id,
                    destination: delivery.destinationName,
                    kind: delivery.destinationKind,
                    status: delivery.status,
                    attempts: delivery.attempts,
                    externalId: delivery.externalId?.nonEmpty,
                    lastError: delivery.lastError?.nonEmpty,
                    nextAttemptAt: delivery.nextAttemptAt.map { DashboardFormat.time($0) },
                    retryable: DeliveryStatus(rawValue: delivery.status)?.canBeRetried ?? false,
                    attemptLog: delivery.attemptLog.map { attempt in
                        .init(
                            number: attempt.attempt,
                            startedAt: DashboardFormat.time(attempt.startedAt),
                            outcome: attempt.outcome,
                            httpStatus: attempt.httpStatus.map(String.init) ?? "",
                            errorClass: attempt.errorClass ?? "",
                            error: attempt.errorMessage?.nonEmpty,
                            duration: attempt.durationMilliseconds,
                            excerpt: attempt.responseExcerpt ?? "",
                            worker: attempt.workerId,
                            possibleDuplicate: attempt.possibleDuplicate == true
                        )
                    }
                )
            },
            stage: lead.stage,
            stageLabel: LeadStage(rawValue: lead.stage)?.label ?? lead.stage,
            stages: LeadStage.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == lead.stage) },
            conversation: lead.conversation.map { message in
                ConversationEntry(
                    at: DashboardFormat.time(message.at),
                    incoming: message.direction == "in",
                    channel: MessageChannel(rawValue: message.channel)?.displayName ?? message.channel,
                    address: message.address,
                    subject: message.subject?.nonEmpty,
                    body: message.body ?? "",
                    status: message.status?.nonEmpty,
                    error: [message.errorCode, message.errorReason].compactMap { $0 }.joined(separator: ": ").nonEmpty
                )
            },
            sequences: try await leadSequences(leadId: summary.id, tenantId: summary.tenantId),
            sourceChanges: sourceChanges,
            hasSourceChanges: !sourceChanges.isEmpty
        )
        return responder.page("lead", view)
    }
}

extension String {
    /// nil when empty.
    var nonEmpty: String? { isEmpty ? nil : self }
}
