import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import Logging
import Shared

/// The operator dashboard under `/dashboard`: overview, leads, deliveries (with retries),
/// imports, webhook events, configuration and the audit log. Every query is limited to the
/// signed-in user's tenant unless the user is an operator.
struct DashboardController: Sendable {
    let stores: DataStores
    let enqueuer: DeliveryEnqueuer
    let imports: ImportsController
    let secretBox: SecretBox
    let responder: DashboardResponder
    let sessionStore: PostgresSessionStore
    let hasher: PasswordHasher
    /// Refuses destination URLs on private networks when they are saved (the worker checks again on every call).
    let outboundChecker: OutboundTargetChecker
    let logger: Logger

    var audit: AuditLog { AuditLog(client: stores.postgres, logger: logger) }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get { request, context in try await overview(request, context) }
        group.post("logout") { _, context in
            let user = try context.requireDashboardUser()
            context.sessions.clearSession()
            try? await audit.record(actor: user.email, userId: user.id, tenantId: user.tenantId, action: "auth.logout")
            return DashboardResponder.redirect("/login")
        }
        addLeadRoutes(to: group)
        addDeliveryRoutes(to: group)
        addOptOutRoutes(to: group)
        addActivityRoutes(to: group)
        addConfigurationRoutes(to: group)
        addSequenceRoutes(to: group)
    }

    /// Records an audit entry for the signed-in user.
    func record(
        _ context: AppRequestContext,
        _ request: Request,
        action: String,
        tenantId: UUID?,
        targetType: String?,
        targetId: String?,
        details: [String: String] = [:]
    ) async throws {
        let user = try context.requireDashboardUser()
        try await audit.record(
            actor: user.email,
            userId: user.id,
            tenantId: tenantId ?? user.tenantId,
            action: action,
            targetType: targetType,
            targetId: targetId,
            details: JSONText.encode(details),
            ip: context.clientAddress
        )
    }
}

/// Formatting shared by the dashboard's views.
enum DashboardFormat {
    /// `2026-11-23 19:32:05 UTC`.
    static func time(_ date: Date?) -> String {
        guard let date else { return "" }
        return date.formatted(
            Date.VerbatimFormatStyle(
                format:
                    "\(year: .defaultDigits)-\(month: .twoDigits)-\(day: .twoDigits) \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits):\(second: .twoDigits) UTC",
                timeZone: .gmt,
                calendar: Calendar(identifier: .gregorian)
            )
        )
    }

    /// `97.5%`, or an en dash when there is nothing to divide.
    static func percent(_ value: Double?) -> String {
        guard let value else { return "–" }
        return String(format: "%.1f%%", value * 100)
    }

    /// `1,234`.
    static func count(_ value: Int) -> String { value.formatted(.number.grouping(.automatic)) }

    /// The date `since` (`24h`, `7d`, `30d`) stands for, nil for all time.
    static func since(_ text: String?) -> Date? {
        switch text {
        case "1h": Date().addingTimeInterval(-3_600)
        case "24h": Date().addingTimeInterval(-86_400)
        case "7d": Date().addingTimeInterval(-7 * 86_400)
        case "30d": Date().addingTimeInterval(-30 * 86_400)
        default: nil
        }
    }
}
