import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import Shared

extension DashboardController {
    struct OverviewView {
        struct Card {
            var label: String
            var value: String
            var href: String?
        }
        struct LegendItem {
            var name: String
            var color: String
            var total: String
        }
        struct DestinationRow {
            var id: String
            var name: String
            var kind: String
            var dryRun: Bool
            var enabled: Bool
            var succeeded: String
            var dead: String
            var retrying: String
            var open: String
            var successRate: String
        }
        struct ErrorRow {
            var at: String
            var deliveryId: Int64
            var leadId: Int64
            var destination: String
            var status: String
            var message: String
        }
        struct RangeLink {
            var days: Int
            var current: Bool
        }

        var chrome: DashboardChrome
        var cards: [Card]
        var system: [Card]
        var hasSystem: Bool
        var chartSVG: String
        var hasLeads: Bool
        var legend: [LegendItem]
        var ranges: [RangeLink]
        var days: Int
        var destinations: [DestinationRow]
        var errors: [ErrorRow]
    }

    func overview(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.requireDashboardUser()
        let scope = user.tenantScope
        let days = [7, 14, 30].first { "\($0)" == DashboardResponder.query(request, "days") } ?? 7
        let overview = DashboardOverview(client: stores.postgres, logger: logger)
        let timeZone = try await withDatabaseTimeLimit { [stores, logger] () async throws -> String in
            guard let scope else { return "UTC" }
            return try await TenantStore(client: stores.postgres, logger: logger).find(scope.uuidString).timezone
        }
        let counts = try await overview.counts(tenantId: scope, timeZone: timeZone)
        let series = try await overview.leadsPerSource(tenantId: scope, days: days, timeZone: timeZone)
        let health = try await overview.destinationHealth(tenantId: scope)
        let errors = try await overview.recentErrors(tenantId: scope)
        // Queue depth, lag and live workers are shared by every tenant: operators only.
        var system: [OverviewView.Card] = []
        if user.role == .operator {
            do {
                let snapshot = try await QueueGauges(stores: stores, logger: logger).snapshot()
                system = [
                    .init(label: "Queue depth (stream entries)", value: DashboardFormat.count(snapshot.streamLength), href: nil),
                    .init(label: "Scheduled retries", value: DashboardFormat.count(snapshot.scheduledRetries), href: nil),
                    .init(label: "Oldest unfinished delivery", value: Self.age(snapshot.oldestOpenAgeSeconds), href: nil),
                    .init(label: "Workers alive", value: "\(snapshot.workersAlive)", href: nil),
                ]
            } catch {
                system = [.init(label: "Queue", value: "Redis unreachable", href: nil)]
            }
        }
        let firstDay = Calendar(identifier: .gregorian).startOfDay(for: Date()).addingTimeInterval(Double(-(days - 1)) * 86_400)
        let chart = LeadsChart(series: series, days: days, firstDay: firstDay)
        let view = OverviewView(
            chrome: try responder.chrome(request, context),
            cards: [
                .init(label: "Leads today", value: DashboardFormat.count(counts.leadsToday), href: "/dashboard/leads"),
                .init(label: "Leads, last 7 days", value: DashboardFormat.count(counts.leadsLast7Days), href: "/dashboard/leads"),
                .init(
                    label: "Delivered, last 7 days",
                    value: DashboardFormat.count(counts.deliveredLast7Days),
                    href: "/dashboard/deliveries?status=succeeded&since=7d"
                ),
                .init(label: "In flight", value: DashboardFormat.count(counts.inFlight), href: "/dashboard/deliveries?status=queued"),
                .init(label: "Retrying", value: DashboardFormat.count(counts.retrying), href: "/dashboard/deliveries?status=retrying"),
                .init(label: "Dead (need action)", value: DashboardFormat.count(counts.dead), href: "/dashboard/deliveries?status=dead"),
                .init(label: "Spam caught, 7 days", value: DashboardFormat.count(counts.spamLast7Days), href: nil),
            ],
            system: system,
            hasSystem: !system.isEmpty,
            chartSVG: chart.svg(),
            hasLeads: series.contains { $0.counts.contains { $0 > 0 } },
            legend: chart.legend().map { .init(name: $0.name, color: $0.color, total: DashboardFormat.count($0.total)) },
            ranges: [7, 14, 30].map { .init(days: $0, current: $0 == days) },
            days: days,
            destinations: health.map { item in
                .init(
                    id: item.destinationId.uuidString.lowercased(),
                    name: item.name,
                    kind: item.kind,
                    dryRun: item.dryRun,
                    enabled: item.enabled,
                    succeeded: DashboardFormat.count(item.succeeded),
                    dead: DashboardFormat.count(item.dead),
                    retrying: DashboardFormat.count(item.retrying),
                    open: DashboardFormat.count(item.open),
                    successRate: DashboardFormat.percent(item.successRate)
                )
            },
            errors: errors.map { error in
                .init(
                    at: DashboardFormat.time(error.at),
                    deliveryId: error.deliveryId,
                    leadId: error.leadId,
                    destination: error.destinationName,
                    status: error.httpStatus.map { "HTTP \($0)" } ?? (error.errorClass ?? ""),
                    message: error.message ?? ""
                )
            }
        )
        return responder.page("overview", view)
    }

    static func age(_ seconds: Double) -> String {
        switch seconds {
        case ..<1: "none"
        case ..<120: "\(Int(seconds)) s"
        case ..<7_200: "\(Int(seconds / 60)) min"
        default: String(format: "%.1f h", seconds / 3_600)
        }
    }
}
