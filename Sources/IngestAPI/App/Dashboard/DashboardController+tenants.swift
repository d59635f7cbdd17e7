import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import Shared

extension DashboardController {
    struct TenantsView {
        struct Row {
            var id: String
            var slug: String
            var name: String
            var region: String
            var timezone: String
            var email: String
            var enabled: Bool
        }
        var chrome: DashboardChrome
        var rows: [Row]
    }

    struct TenantFormView {
        var chrome: DashboardChrome
        var isNew: Bool
        var action: String
        var id: String
        var name: String
        var slug: String
        var region: String
        var timezone: String
        var email: String
        var enabled: Bool
        var errors: FieldErrors
    }

    /// Tenants are operators' business: members get the same 404 as for a page that does not exist.
    func addTenantRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("tenants") { request, context in try await operatorOnly(request, context) { try await tenantList(request, context) } }
        group.get("tenants/new") { request, context in
            try await operatorOnly(request, context) { try tenantForm(request, context, tenant: nil, form: nil, errors: FieldErrors()) }
        }
        group.post("tenants") { request, context in try await operatorOnly(request, context) { try await saveTenant(request, context, id: nil) } }
        group.get("tenants/{id}") { request, context in
            try await operatorOnly(request, context) {
                guard let tenant = try await find(.tenants, Self.routeId(context), user: try context.requireDashboardUser()) else {
                    return try notFound(request, context, .tenants)
                }
                return try tenantForm(request, context, tenant: tenant, form: nil, errors: FieldErrors())
            }
        }
        group.post("tenants/{id}") { request, context in
            try await operatorOnly(request, context) { try await saveTenant(request, context, id: Self.routeId(context)) }
        }
        group.post("tenants/{id}/enable") { request, context in
            try await operatorOnly(request, context) { try await setEnabled(true, request, context, .tenants) }
        }
        group.post("tenants/{id}/disable") { request, context in
            try await operatorOnly(request, context) { try await setEnabled(false, request, context, .tenants) }
        }
    }

    /// `body`'s answer for operators, a 404 page for everybody else.
    func operatorOnly(_ request: Request, _ context: AppRequestContext, _ body: () async throws -> Response) async throws -> Response {
        guard try context.requireDashboardUser().role == .operator else {
            return try responder.message(
                request,
                context,
                status: .notFound,
                heading: "Page not found",
                text: "There is no such page.",
                backHref: "/dashboard"
            )
        }
        return try await body()
    }

    private func tenantList(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let tenants = try await withStores { try await $0.tenants.list() }
        return responder.page(
            "config_tenants",
            TenantsView(
                chrome: try responder.chrome(request, context),
                rows: tenants.map { tenant in
                    .init(
                        id: Self.slug(tenant.id),
                        slug: tenant.slug,
                        name: tenant.name,
                        region: tenant.defaultRegion,
                        timezone: tenant.timezone,
                        email: tenant.notificationEmail ?? "",
                        enabled: tenant.enabled
                    )
                }
            )
        )
    }

    private func tenantForm(
        _ request: Request,
        _ context: AppRequestContext,
        tenant: Tenant?,
        form: FormBody?,
        errors: FieldErrors,
        status: HTTPResponse.Status = .ok
    ) throws -> Response {
        func typed(_ name: String, _ current: String?) -> String { form.map { $0.text(name) } ?? current ?? "" }
        let view = TenantFormView(
            chrome: try responder.chrome(request, context, problem: errors.summary),
            isNew: tenant == nil,
            action: tenant.map { "/dashboard/tenants/\(Self.slug($0.id))" } ?? "/dashboard/tenants",
            id: tenant.map { Self.slug($0.id) } ?? "",
            name: typed("name", tenant?.name),
            slug: typed("slug", tenant?.slug),
            region: typed("region", tenant?.defaultRegion ?? "US"),
            timezone: typed("timezone", tenant?.timezone ?? "UTC"),
            email: typed("notification_email", tenant?.notificationEmail),
            enabled: form.map { $0.isChecked("enabled") } ?? tenant?.enabled ?? true,
            errors: errors
        )
        return responder.page("config_tenant_form", view, status: status)
    }

    private func saveTenant(_ request: Request, _ context: AppRequestContext, id: UUID?) async throws -> Response {
        let form = try context.requireDashboardForm()
        let existing = try await find(.tenants, id, user: try context.requireDashboardUser())
        if existing == nil, context.parameters.get("id") != nil { return try notFound(request, context, .tenants) }
        var errors = FieldErrors()
        let name = errors.check { () throws(StoreError) in try ConfigurationInput.name(form.value("name")) }
        let region = errors.check { () throws(StoreError) in try ConfigurationInput.region(form.value("region")) }
        let timezone = errors.check { () throws(StoreError) in try ConfigurationInput.timeZone(form.value("timezone")) }
        let email = errors.check { () throws(StoreError) in
            try ConfigurationInput.optionalEmail(form.value("notification_email"), field: "notification_email")
        }
        let slug = form.value("slug")?.trimmingCharacters(in: .whitespaces).lowercased()
        if existing == nil, let slug, slug.range(of: "^[a-z0-9][a-z0-9-]{0,62}$", options: .regularExpression) == nil {
            errors.add("slug", "may hold only a–z, 0–9 and dashes (at most 63), starting with a letter or digit")
        }
        guard errors.isEmpty, let name, let region, let timezone, let email else {
            return try tenantForm(request, context, tenant: existing, form: form, errors: errors, status: .unprocessableContent)
        }
        let saved: Tenant
        do {
            saved = try await withStores { stores in
                guard var tenant = existing else {
                    return try await stores.tenants.create(
                        name: name,
                        slug: slug,
                        defaultRegion: region,
                        timezone: timezone,
                        notificationEmail: email
                    )
                }
                tenant.name = name
                tenant.defaultRegion = region
                tenant.timezone = timezone
                tenant.notificationEmail = email
                tenant.enabled = form.isChecked("enabled")
                return try await stores.tenants.update(tenant)
            }
        } catch {
            guard let storeError = StoreError.unwrapping(error, entity: "tenant") else { throw error }
            errors.add(storeError, fallbackField: existing == nil ? "slug" : "name")
            return try tenantForm(request, context, tenant: existing, form: form, errors: errors, status: .unprocessableContent)
        }
        return try await savedRedirect(
            request,
            context,
            .tenants,
            saved,
            created: existing == nil,
            details: ["slug": saved.slug, "region": saved.defaultRegion, "timezone": saved.timezone]
        )
    }
}
