import Foundation
import Hummingbird
import Shared

/// A configuration record that can be switched on and off from its page.
protocol DashboardSwitchable: Sendable {
    var enabled: Bool { get set }
}

extension Source: DashboardSwitchable {}
extension Destination: DashboardSwitchable {}

extension DashboardController {
    /// Enables or disables the record of the route's id (404 outside the user's tenant), audited.
    func setEnabled<Record: DashboardSwitchable>(
        _ enabled: Bool,
        _ request: Request,
        _ context: AppRequestContext,
        kind: String,
        area: String,
        find: (UUID?, DashboardUser) async throws -> Record?,
        update: @escaping @Sendable (ConfigurationStores, Record) async throws -> Record,
        audited: (Record) -> AuditedRecord
    ) async throws -> Response {
        let user = try context.requireDashboardUser()
        guard var record = try await find(Self.routeId(context), user) else {
            return try notFound(request, context, kind, back: "/dashboard/\(area)")
        }
        record.enabled = enabled
        let changed = record
        let updated = try await withStores { try await update($0, changed) }
        return try await recordAndRedirect(context, request, audited(updated), verb: enabled ? "enable" : "disable")
    }

    /// Deletes the record of the route's id (404 outside the user's tenant); a store conflict (it
    /// has history the database would cascade away) answers 409 and suggests disabling instead.
    func deleteRecord<Record: Sendable>(
        _ request: Request,
        _ context: AppRequestContext,
        kind: String,
        area: String,
        find: (UUID?, DashboardUser) async throws -> Record?,
        delete: @escaping @Sendable (ConfigurationStores, Record, UUID?) async throws -> Void,
        audited: (Record) -> AuditedRecord
    ) async throws -> Response {
        let user = try context.requireDashboardUser()
        guard let record = try await find(Self.routeId(context), user) else {
            return try notFound(request, context, kind, back: "/dashboard/\(area)")
        }
        let target = audited(record)
        do {
            try await withStores { try await delete($0, record, user.tenantScope) }
        } catch StoreError.conflict(let message) {
            return try refused(
                request,
                context,
                heading: "\(kind.prefix(1).uppercased() + kind.dropFirst()) not deleted",
                message: message,
                back: "/dashboard/\(area)/\(Self.slug(target.id))"
            )
        }
        return try await recordAndRedirect(context, request, target, verb: "delete")
    }
}
