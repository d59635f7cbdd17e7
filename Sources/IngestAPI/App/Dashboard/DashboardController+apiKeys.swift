import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import Shared

extension DashboardController {
    struct APIKeysView {
        struct Row {
            var id: String
            var prefix: String
            var name: String
            var tenant: String
            var requestsPerMinute: Int
            var lastUsedAt: String
            var createdAt: String
            var revoked: Bool
            var revokedAt: String
        }
        var chrome: DashboardChrome
        var rows: [Row]
        var showTenant: Bool
        var tenants: [Option]
        var pickTenant: Bool
        var name: String
        var requestsPerMinute: String
        var errors: FieldErrors
    }

    struct APIKeyCreatedView {
        var chrome: DashboardChrome
        var key: String
        var prefix: String
        var name: String
        var tenant: String
    }

    func addAPIKeyRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("api-keys") { request, context in try await apiKeyList(request, context, form: nil, errors: FieldErrors()) }
        group.post("api-keys") { request, context in try await createAPIKey(request, context) }
        group.post("api-keys/{id}/revoke") { request, context in try await revokeAPIKey(request, context) }
    }

    private func apiKeyList(
        _ request: Request,
        _ context: AppRequestContext,
        form: FormBody?,
        errors: FieldErrors,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let user = try context.requireDashboardUser()
        let keys = try await withStores { try await $0.apiKeys.list(tenantId: user.tenantScope) }
        let tenants = try await tenantNames(for: user)
        let view = APIKeysView(
            chrome: try responder.chrome(request, context, problem: errors.summary),
            rows: keys.map { key in
                .init(
                    id: Self.slug(key.id),
                    prefix: key.prefix,
                    name: key.name,
                    tenant: tenants[key.tenantId] ?? "",
                    requestsPerMinute: key.requestsPerMinute,
                    lastUsedAt: DashboardFormat.time(key.lastUsedAt),
                    createdAt: DashboardFormat.time(key.createdAt),
                    revoked: key.revokedAt != nil,
                    revokedAt: DashboardFormat.time(key.revokedAt)
                )
            },
            showTenant: user.role == .operator,
            tenants: Self.tenantOptions(tenants, selected: form?.value("tenant").flatMap(UUID.init(uuidString:))),
            pickTenant: user.role == .operator,
            name: form?.text("name") ?? "",
            requestsPerMinute: form?.text("requests_per_minute") ?? "1200",
            errors: errors
        )
        return responder.page("config_api_keys", view, status: status)
    }

    /// Creates a key and shows it once; only its prefix is ever shown afterwards.
    private func createAPIKey(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.requireDashboardUser()
        let form = try context.requireDashboardForm()
        var errors = FieldErrors()
        let tenants = try await tenantNames(for: user)
        let tenantId = Self.targetTenant(form, user: user, known: tenants, errors: &errors)
        let name = errors.check { () throws(StoreError) in try ConfigurationInput.name(form.value("name")) }
        let rate = errors.check { () throws(StoreError) in
            try ConfigurationInput.integer(form.value("requests_per_minute"), field: "requests_per_minute", in: 1...1_000_000)
        }
        guard errors.isEmpty, let tenantId, let name, let rate else {
            return try await apiKeyList(request, context, form: form, errors: errors, status: .unprocessableContent)
        }
        let (key, created) = try await withStores { try await $0.apiKeys.create(tenantId: tenantId, name: name, requestsPerMinute: rate ?? 1200) }
        try await record(
            context,
            request,
            action: "api_key.create",
            tenantId: tenantId,
            targetType: "api_key",
            targetId: created.prefix,
            details: ["name": name, "requests_per_minute": "\(created.requestsPerMinute)"]
        )
        return responder.page(
            "config_api_key_created",
            APIKeyCreatedView(
                chrome: try responder.chrome(request, context),
                key: key,
                prefix: created.prefix,
                name: created.name,
                tenant: tenants[tenantId] ?? ""
            ),
            status: .created
        )
    }

    private func revokeAPIKey(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.requireDashboardUser()
        guard let id = Self.routeId(context) else { return try notFound(request, context, "API key", back: "/dashboard/api-keys") }
        let revoked: APIKey
        do {
            revoked = try await withStores { try await $0.apiKeys.revoke(id.uuidString, tenantId: user.tenantScope) }
        } catch StoreError.notFound {
            return try notFound(request, context, "API key", back: "/dashboard/api-keys")
        }
        try await record(
            context,
            request,
            action: "api_key.revoke",
            tenantId: revoked.tenantId,
            targetType: "api_key",
            targetId: revoked.prefix,
            details: ["name": revoked.name]
        )
        return DashboardResponder.redirect(
            "/dashboard/api-keys",
            notice: "Key \(revoked.prefix)… revoked; it stops working at once.",
            context: context
        )
    }
}
