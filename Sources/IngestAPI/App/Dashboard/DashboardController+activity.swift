import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import Shared

extension DashboardController {
    struct AuditView {
        struct Row {
            var at: String
            var actor: String
            var action: String
            var target: String
            var details: String
            var ip: String
        }
        var chrome: DashboardChrome
        var rows: [Row]
        var action: String
        var olderHref: String?
    }

    struct ImportsView {
        struct Row {
            var id: String
            var filename: String
            var source: String
            var status: String
            var rows: Int
            var accepted: Int
            var duplicates: Int
            var rejected: Int
            var createdAt: String
        }
        struct ErrorRow {
            var row: Int
            var line: String
            var reason: String
        }
        /// A lead field and the header column it was read from.
        struct FieldColumn {
            var field: String
            var column: String
        }
        var chrome: DashboardChrome
        var sources: [Option]
        var rows: [Row]
        /// One import's page (nil on the list).
        var current: Row?
        var failureReason: String?
        var warnings: [String]
        var errors: [ErrorRow]
        var fieldColumns: [FieldColumn]
        var hasFieldColumns: Bool
        var running: Bool
    }

    struct EventsView {
        struct Row {
            var id: Int64
            var receivedAt: String
            var source: String
            var method: String
            var outcome: String
            var reason: String
            var leads: [Int64]
            var replayOf: String
            var size: Int
            var replayable: Bool
        }
        var chrome: DashboardChrome
        var rows: [Row]
    }

    func addActivityRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("audit") { request, context in try await auditLog(request, context) }
        group.get("imports") { request, context in try await importsPage(request, context, current: nil) }
        group.get("imports/{id}") { request, context in
            let user = try context.requireDashboardUser()
            let record = try await imports.findImport(context.parameters.get("id") ?? "", tenantId: user.tenantScope)
            return try await importsPage(request, context, current: record)
        }
        group.get("imports/{id}/errors.csv") { _, context in
            let user = try context.requireDashboardUser()
            return try await imports.errorReport(try await imports.findImport(context.parameters.get("id") ?? "", tenantId: user.tenantScope))
        }
        group.post("imports") { request, context in
            let user = try context.requireDashboardUser()
            let response = try await imports.createImport(request, tenantId: user.tenantScope, location: "/dashboard/imports/")
            try? await record(
                context,
                request,
                action: "import.create",
                tenantId: nil,
                targetType: "import",
                targetId: response.headers[.location].map { String($0.split(separator: "/").last ?? "") },
                details: ["filename": DashboardResponder.query(request, "filename") ?? ""]
            )
            return response
        }
        group.get("events") { request, context in try await eventsPage(request, context) }
        group.post("events/{id}/replay") { request, context in try await replay(request, context) }
    }

    private func auditLog(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.requireDashboardUser()
        let action = DashboardResponder.query(request, "action")
        let before = DashboardResponder.query(request, "before").flatMap(Int64.init)
        let entries = try await withDatabaseTimeLimit { [audit] in
            try await audit.list(tenantId: user.tenantScope, action: action, before: before, limit: 100)
        }
        let view = AuditView(
            chrome: try responder.chrome(request, context),
            rows: entries.map { entry in
                .init(
                    at: DashboardFormat.time(entry.at),
                    actor: entry.actor,
                    action: entry.action,
                    target: [entry.targetType, entry.targetId].compactMap { $0 }.joined(separator: " "),
                    details: entry.details == "{}" ? "" : entry.details,
                    ip: entry.ip ?? ""
                )
            },
            action: action ?? "",
            olderHref: entries.count == 100 ? entries.last.map { "/dashboard/audit?before=\($0.id)" + (action.map { "&action=\($0)" } ?? "") } : nil
        )
        return responder.page("audit", view)
    }

    private func importsPage(_ request: Request, _ context: AppRequestContext, current: ImportRecord?) async throws -> Response {
        let user = try context.requireDashboardUser()
        let (records, sources) = try await withDatabaseTimeLimit { [stores, logger] in
            (
                try await ImportStore(client: stores.postgres, logger: logger).list(tenantId: user.tenantScope, limit: 50),
                try await SourceStore(client: stores.postgres, logger: logger).list(tenantId: user.tenantScope)
            )
        }
        let sourceNames = Dictionary(sources.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        func row(_ record: ImportRecord) -> ImportsView.Row {
            .init(
                id: record.id.uuidString.lowercased(),
                filename: record.filename ?? "(no name)",
                source: sourceNames[record.sourceId] ?? "",
                status: record.status.rawValue,
                rows: record.rowsTotal,
                accepted: record.accepted,
                duplicates: record.duplicates,
                rejected: record.rejected,
                createdAt: DashboardFormat.time(record.createdAt)
            )
        }
        let fieldColumns = Self.fieldColumns(of: current)
        let view = ImportsView(
            chrome: try responder.chrome(request, context),
            sources: sources.filter { $0.enabled && ($0.kind == .csv || $0.kind == .api) }.map {
                Option(value: $0.id.uuidString.lowercased(), label: $0.name + " (\($0.kind.rawValue))", selected: false)
            },
            rows: records.map(row),
            current: current.map(row),
            failureReason: current?.failureReason,
            warnings: current?.warnings ?? [],
            errors: (current?.errors ?? []).map { .init(row: $0.row, line: $0.line.map(String.init) ?? "", reason: $0.reason) },
            fieldColumns: fieldColumns,
            hasFieldColumns: !fieldColumns.isEmpty,
            running: current?.status == .receiving
        )
        return responder.page("imports", view)
    }

    /// The import's field → column choices in ``LeadField`` order.
    static func fieldColumns(of record: ImportRecord?) -> [ImportsView.FieldColumn] {
        guard let chosen = record?.fieldColumns else { return [] }
        return LeadField.allCases.compactMap { field in chosen[field.rawValue].map { .init(field: field.rawValue, column: $0) } }
    }

    private func eventsPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.requireDashboardUser()
        let (events, sources) = try await withDatabaseTimeLimit { [stores, logger] in
            (
                try await InboundEventStore(client: stores.postgres, logger: logger)
                    .list(tenantId: user.tenantScope, outcome: DashboardResponder.query(request, "outcome"), limit: 100),
                try await SourceStore(client: stores.postgres, logger: logger).list(tenantId: user.tenantScope)
            )
        }
        let sourceNames = Dictionary(sources.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let view = EventsView(
            chrome: try responder.chrome(request, context),
            rows: events.map { event in
                .init(
                    id: event.id,
                    receivedAt: DashboardFormat.time(event.receivedAt),
                    source: event.sourceId.flatMap { sourceNames[$0] } ?? "",
                    method: event.method,
                    outcome: event.outcome,
                    reason: event.reason ?? "",
                    leads: event.leadIds,
                    replayOf: event.replayOf.map { "#\($0)" } ?? "",
                    size: event.bodySize,
                    replayable: !["bad_signature", "too_large"].contains(event.outcome) && event.sourceId != nil
                )
            }
        )
        return responder.page("events", view)
    }

    private func replay(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.requireDashboardUser()
        guard let id = context.parameters.get("id").flatMap(Int64.init) else { throw StoreError.notFound(kind: "event", reference: "") }
        let answer: WebhookIngestor.Answer
        do {
            answer = try await withDatabaseTimeLimit { [stores, secretBox, logger] in
                try await InboundEventReplay(postgres: stores.postgres, secretBox: secretBox, logger: logger).replay(id, tenantId: user.tenantScope)
            }
        } catch let refusal as InboundEventReplay.Refusal {
            return DashboardResponder.redirect("/dashboard/events", notice: refusal.description, context: context)
        }
        enqueuer.submit(answer.deliveryIds)
        try await record(
            context,
            request,
            action: "event.replay",
            tenantId: nil,
            targetType: "inbound_event",
            targetId: "\(id)",
            details: ["status": "\(answer.status)", "new_event": answer.eventId.map(String.init) ?? ""]
        )
        let text = String(decoding: answer.body.prefix(300), as: UTF8.self)
        return DashboardResponder.redirect("/dashboard/events", notice: "Event #\(id) replayed: HTTP \(answer.status) \(text)", context: context)
    }
}
