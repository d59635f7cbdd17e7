import Foundation
import HTTPTypes
import Hummingbird
import Shared

extension DashboardController {
    /// The record `id` of `records` if the user may see it; nil for no id, another tenant's or none.
    func find<Record>(_ records: DashboardRecords<Record>, _ id: UUID?, user: DashboardUser) async throws -> Record? {
        guard let id else { return nil }
        return try await withStores { stores in
            do { return try await records.find(stores, id, user.tenantScope) } catch StoreError.notFound { return nil }
        }
    }

    /// The 404 page of a record of `records` that does not exist or that the user may not see.
    func notFound<Record>(_ request: Request, _ context: AppRequestContext, _ records: DashboardRecords<Record>) throws -> Response {
        try notFound(request, context, records.kind, back: "/dashboard/\(records.area)")
    }

    /// The pages of `records`: `GET <area>` lists them (`list`); `GET <area>/new` and `GET <area>/{id}`
    /// show the `form`, empty or filled in from the record; `POST <area>` and `POST <area>/{id}` `save`
    /// it; `POST <area>/{id}/enable` and `…/disable` switch it, and `…/delete` deletes it when
    /// ``DashboardRecords/delete`` is set.
    func addRecordPages<Record>(
        _ records: DashboardRecords<Record>,
        to group: RouterGroup<AppRequestContext>,
        list: @escaping @Sendable (Request, AppRequestContext) async throws -> Response,
        form: @escaping @Sendable (Request, AppRequestContext, Record?, FormBody?, FieldErrors, HTTPResponse.Status) async throws -> Response,
        save: @escaping @Sendable (Request, AppRequestContext, UUID?) async throws -> Response
    ) {
        let area = records.area
        group.get(RouterPath(area)) { request, context in try await list(request, context) }
        group.get(RouterPath("\(area)/new")) { request, context in try await form(request, context, nil, nil, FieldErrors(), .ok) }
        group.post(RouterPath(area)) { request, context in try await save(request, context, nil) }
        group.get(RouterPath("\(area)/{id}")) { request, context in
            guard let record = try await find(records, Self.routeId(context), user: try context.requireDashboardUser()) else {
                return try notFound(request, context, records)
            }
            return try await form(request, context, record, nil, FieldErrors(), .ok)
        }
        group.post(RouterPath("\(area)/{id}")) { request, context in try await save(request, context, Self.routeId(context)) }
        group.post(RouterPath("\(area)/{id}/enable")) { request, context in try await setEnabled(true, request, context, records) }
        group.post(RouterPath("\(area)/{id}/disable")) { request, context in try await setEnabled(false, request, context, records) }
        if let delete = records.delete {
            group.post(RouterPath("\(area)/{id}/delete")) { request, context in try await deleteRecord(request, context, records, delete: delete) }
        }
    }

    /// Audits the create (`created`) or update of `saved` with `details` and redirects to its page
    /// with a notice.
    func savedRedirect<Record>(
        _ request: Request,
        _ context: AppRequestContext,
        _ records: DashboardRecords<Record>,
        _ saved: Record,
        created: Bool,
        details: [String: String]
    ) async throws -> Response {
        let target = records.audited(saved)
        let verb = created ? "create" : "update"
        return try await recordAndRedirect(
            context,
            request,
            target,
            verb: verb,
            details: details,
            to: "/dashboard/\(records.area)/\(Self.slug(target.id))"
        )
    }

    /// Enables or disables the record of the route's id (404 outside the user's tenant), audited.
    func setEnabled<Record>(
        _ enabled: Bool,
        _ request: Request,
        _ context: AppRequestContext,
        _ records: DashboardRecords<Record>
    ) async throws -> Response {
        let user = try context.requireDashboardUser()
        guard var record = try await find(records, Self.routeId(context), user: user) else {
            return try notFound(request, context, records)
        }
        record.enabled = enabled
        let changed = record
        let updated = try await withStores { try await records.update($0, changed) }
        return try await recordAndRedirect(context, request, records.audited(updated), verb: enabled ? "enable" : "disable")
    }

    /// Deletes the record of the route's id (404 outside the user's tenant); a store conflict (it
    /// has history the database would cascade away) answers 409 and suggests disabling instead.
    func deleteRecord<Record>(
        _ request: Request,
        _ context: AppRequestContext,
        _ records: DashboardRecords<Record>,
        delete: @escaping @Sendable (ConfigurationStores, Record, UUID?) async throws -> Void
    ) async throws -> Response {
        let user = try context.requireDashboardUser()
        guard let record = try await find(records, Self.routeId(context), user: user) else {
            return try notFound(request, context, records)
        }
        let target = records.audited(record)
        do {
            try await withStores { try await delete($0, record, user.tenantScope) }
        } catch StoreError.conflict(let message) {
            return try refused(
                request,
                context,
                heading: "\(records.kind.prefix(1).uppercased() + records.kind.dropFirst()) not deleted",
                message: message,
                back: "/dashboard/\(records.area)/\(Self.slug(target.id))"
            )
        }
        return try await recordAndRedirect(context, request, target, verb: "delete")
    }
}
