import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import Shared

extension DashboardController {
    struct Option {
        var value: String
        var label: String
        var selected: Bool
    }

    struct DeliveriesView {
        struct Row {
            var id: Int64
            var leadId: Int64
            var destination: String
            var source: String
            var status: String
            var attempts: Int
            var http: String
            var error: String
            var updatedAt: String
            /// Nil when none: Mustache sections treat an empty string as present.
            var nextAttemptAt: String?
            var retryable: Bool
        }
        var chrome: DashboardChrome
        var statuses: [Option]
        var destinations: [Option]
        var sources: [Option]
        var sinces: [Option]
        var rows: [Row]
        var anyRetryable: Bool
        var filterQuery: String
        var limit: Int
        var full: Bool
    }

    struct RetryConfirmView {
        var chrome: DashboardChrome
        var count: Int
        var description: String
        var hidden: [Option]
    }

    /// The deliveries filter of a request's query (or form), limited to the user's tenant.
    private func filter(_ value: (String) -> String?, user: DashboardUser) -> DeliveryFilter {
        let status = value("status").flatMap { DeliveryStatus(rawValue: $0)?.rawValue }
        return DeliveryFilter(
            tenantId: user.tenantScope,
            status: status,
            destinationId: value("destination").flatMap(UUID.init(uuidString:)),
            sourceId: value("source").flatMap(UUID.init(uuidString:)),
            since: DashboardFormat.since(value("since"))
        )
    }

    private static let filterNames = ["status", "destination", "source", "since"]

    func addDeliveryRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("deliveries") { request, context in try await deliveries(request, context) }
        group.get("deliveries/retry") { request, context in try await confirmRetryAll(request, context) }
        group.post("deliveries/retry") { request, context in try await retry(request, context) }
    }

    private func deliveries(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.requireDashboardUser()
        let query = { (name: String) in DashboardResponder.query(request, name) }
        let filter = filter(query, user: user)
        let limit = 200
        let (records, destinations, sources) = try await withDatabaseTimeLimit { [stores, logger] in
            (
                try await DeliveryOperations(client: stores.postgres, logger: logger).list(filter, limit: limit),
                try await DestinationStore(client: stores.postgres, logger: logger).list(tenantId: user.tenantScope),
                try await SourceStore(client: stores.postgres, logger: logger).list(tenantId: user.tenantScope)
            )
        }
        let rows = records.map { record in
            DeliveriesView.Row(
                id: record.id,
                leadId: record.leadId,
                destination: record.destinationName,
                source: record.sourceName,
                status: record.status,
                attempts: record.attempts,
                http: record.lastHTTPStatus.map(String.init) ?? "",
                error: record.lastError ?? "",
                updatedAt: DashboardFormat.time(record.updatedAt),
                nextAttemptAt: record.nextAttemptAt.map { DashboardFormat.time($0) },
                retryable: DeliveryStatus(rawValue: record.status)?.canBeRetried ?? false
            )
        }
        let selectedStatus = filter.status ?? ""
        let view = DeliveriesView(
            chrome: try responder.chrome(request, context),
            statuses: [
                ("", "Any status"), ("dead", "Dead letters"), ("retrying", "Retrying"), ("queued", "Queued"), ("pending", "Pending"),
                ("processing", "Processing"), ("succeeded", "Succeeded"), ("skipped", "Skipped (not reachable)"),
            ].map { Option(value: $0.0, label: $0.1, selected: $0.0 == selectedStatus) },
            destinations: [Option(value: "", label: "Any destination", selected: filter.destinationId == nil)]
                + destinations.map {
                    Option(value: $0.id.uuidString.lowercased(), label: $0.name, selected: $0.id == filter.destinationId)
                },
            sources: [Option(value: "", label: "Any source", selected: filter.sourceId == nil)]
                + sources.map {
                    Option(value: $0.id.uuidString.lowercased(), label: $0.name, selected: $0.id == filter.sourceId)
                },
            sinces: [("", "Any time"), ("1h", "Last hour"), ("24h", "Last 24 hours"), ("7d", "Last 7 days"), ("30d", "Last 30 days")].map {
                Option(value: $0.0, label: $0.1, selected: $0.0 == (query("since") ?? ""))
            },
            rows: rows,
            anyRetryable: rows.contains(where: \.retryable),
            filterQuery: Self.filterNames.compactMap { name in query(name).map { "\(name)=\(DashboardAuthMiddleware.percentEncoded($0))" } }.joined(
                separator: "&"
            ),
            limit: limit,
            full: records.count == limit
        )
        return responder.page("deliveries", view)
    }

    /// "Retry all matching": shows how many dead/retrying deliveries the filter matches and asks to confirm.
    private func confirmRetryAll(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.requireDashboardUser()
        let query = { (name: String) in DashboardResponder.query(request, name) }
        var filter = filter(query, user: user)
        if let status = filter.status, DeliveryStatus(rawValue: status)?.canBeRetried != true { filter.status = "dead" }
        let ids = try await withDatabaseTimeLimit { [stores, logger, filter] in
            try await DeliveryOperations(client: stores.postgres, logger: logger).retry(filter, actor: user.email, userId: user.id, dryRun: true)
        }
        var words = [filter.status.map { "\($0) " } ?? "dead or retrying "]
        if let since = query("since") { words.append("updated in the last \(since) ") }
        let view = RetryConfirmView(
            chrome: try responder.chrome(request, context),
            count: ids.count,
            description: words.joined() + "deliveries matching the current filter",
            hidden: (Self.filterNames.compactMap { name in
                (name == "status" ? filter.status : query(name)).map { Option(value: $0, label: name, selected: false) }
            }) + [Option(value: "\(ids.count)", label: "expected", selected: false), Option(value: "all", label: "mode", selected: false)]
        )
        return responder.page("retry_confirm", view)
    }

    private func retry(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.requireDashboardUser()
        let form = try context.requireDashboardForm()
        var filter: DeliveryFilter
        if form.value("mode") == "all" {
            filter = self.filter({ form.value($0) }, user: user)
        } else {
            let ids = form.values("ids").compactMap { Int64($0) }
            guard !ids.isEmpty else {
                return DashboardResponder.redirect(Self.back(form), notice: "Select at least one delivery to retry.", context: context)
            }
            filter = DeliveryFilter(tenantId: user.tenantScope, ids: ids)
        }
        let ids = try await withDatabaseTimeLimit { [stores, logger, filter] in
            try await DeliveryOperations(client: stores.postgres, logger: logger).retry(filter, actor: user.email, userId: user.id)
        }
        enqueuer.submit(ids)
        var notice =
            ids.isEmpty
            ? "Nothing to retry: those deliveries are no longer dead or retrying."
            : "\(ids.count) deliver\(ids.count == 1 ? "y is" : "ies are") queued again."
        if let expected = form.value("expected").flatMap(Int.init), expected != ids.count, !ids.isEmpty {
            notice += " (\(expected) matched when you confirmed; the rest changed meanwhile.)"
        }
        return DashboardResponder.redirect(Self.back(form), notice: notice, context: context)
    }

    /// Where to go after a form: its `back` field when it is a dashboard path, else the deliveries list.
    static func back(_ form: FormBody) -> String {
        let back = LoginController.safeNext(form.value("back"))
        return back == "/dashboard" && form.value("back") != "/dashboard" ? "/dashboard/deliveries" : back
    }
}
