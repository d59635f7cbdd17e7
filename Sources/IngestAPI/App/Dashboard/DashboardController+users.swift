import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import Shared

extension DashboardController {
    /// One user in the list.
    struct UserRow {
        var id: String
        var email: String
        var role: String
        var tenant: String
        var enabled: Bool
        var lastLoginAt: String
        var isSelf: Bool
    }

    struct UserFormView {
        var chrome: DashboardChrome
        var isNew: Bool
        var id: String
        var email: String
        var roles: [Option]
        var pickRole: Bool
        var tenants: [Option]
        var pickTenant: Bool
        var roleLabel: String
        var tenantName: String
        var enabled: Bool
        var isSelf: Bool
        var lastLoginAt: String
        var minimumLength: Int
        var errors: FieldErrors
    }

    /// Operators manage every user; members manage the members of their own tenant. Nobody disables or deletes themself.
    func addUserRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("users") { request, context in try await userList(request, context) }
        group.get("users/new") { request, context in try await userForm(request, context, target: nil, form: nil, errors: FieldErrors()) }
        group.post("users") { request, context in try await createUser(request, context) }
        group.get("users/{id}") { request, context in
            guard let target = try await findUser(Self.routeId(context), user: try context.requireDashboardUser()) else {
                return try notFound(request, context, "user", back: "/dashboard/users")
            }
            return try await userForm(request, context, target: target, form: nil, errors: FieldErrors())
        }
        group.post("users/{id}/enable") { request, context in try await setUserEnabled(true, request, context) }
        group.post("users/{id}/disable") { request, context in try await setUserEnabled(false, request, context) }
        group.post("users/{id}/password") { request, context in try await resetPassword(request, context) }
        group.post("users/{id}/delete") { request, context in try await deleteUser(request, context) }
    }

    /// The user `id` if the signed-in `user` may manage them.
    private func findUser(_ id: UUID?, user: DashboardUser) async throws -> DashboardUser? {
        guard let id else { return nil }
        return try await withStores { try await $0.users.find(id: id, tenantId: user.tenantScope) }
    }

    private func userList(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.requireDashboardUser()
        let users = try await withStores { try await $0.users.list(tenantId: user.tenantScope) }
        let tenants = try await tenantNames(for: user)
        return responder.page(
            "config_users",
            ConfigurationListView(
                chrome: try responder.chrome(request, context),
                rows: users.map { item in
                    UserRow(
                        id: Self.slug(item.id),
                        email: item.email,
                        role: item.role.rawValue,
                        tenant: item.tenantId.flatMap { tenants[$0] } ?? "",
                        enabled: item.enabled,
                        lastLoginAt: DashboardFormat.time(item.lastLoginAt),
                        isSelf: item.id == user.id
                    )
                },
                showTenant: user.role == .operator
            )
        )
    }

    private func userForm(
        _ request: Request,
        _ context: AppRequestContext,
        target: DashboardUser?,
        form: FormBody?,
        errors: FieldErrors,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let user = try context.requireDashboardUser()
        let tenants = try await tenantNames(for: user)
        let role = target?.role.rawValue ?? form?.value("role") ?? DashboardUser.Role.member.rawValue
        let selectedTenant = target?.tenantId ?? user.tenantScope ?? form?.value("tenant").flatMap(UUID.init(uuidString:))
        let view = UserFormView(
            chrome: try responder.chrome(request, context, problem: errors.summary),
            isNew: target == nil,
            id: target.map { Self.slug($0.id) } ?? "",
            email: target?.email ?? form?.text("email") ?? "",
            roles: DashboardUser.Role.allCases.map {
                Option(
                    value: $0.rawValue,
                    label: $0 == .operator ? "Operator (all tenants)" : "Tenant member",
                    selected: $0.rawValue == role
                )
            },
            pickRole: user.role == .operator && target == nil,
            tenants: Self.tenantOptions(tenants, selected: selectedTenant),
            pickTenant: user.role == .operator && target == nil,
            roleLabel: role == "operator" ? "Operator (all tenants)" : "Tenant member",
            tenantName: selectedTenant.flatMap { tenants[$0] } ?? "",
            enabled: target?.enabled ?? true,
            isSelf: target?.id == user.id,
            lastLoginAt: DashboardFormat.time(target?.lastLoginAt),
            minimumLength: PasswordHasher.minimumLength,
            errors: errors
        )
        return responder.page("config_user_form", view, status: status)
    }

    private func createUser(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.requireDashboardUser()
        let form = try context.requireDashboardForm()
        var errors = FieldErrors()
        let email = (form.value("email") ?? "").trimmingCharacters(in: .whitespaces)
        if let problem = UserStore.problem(withEmail: email) { errors.add("email", problem) }
        // Members create members of their own tenant only, whatever the form says.
        let role: DashboardUser.Role = user.role == .operator ? (form.value("role").flatMap(DashboardUser.Role.init(rawValue:)) ?? .member) : .member
        var tenantId: UUID?
        if role == .member { tenantId = Self.targetTenant(form, user: user, known: try await tenantNames(for: user), errors: &errors) }
        let password = form.value("password") ?? ""
        if let problem = PasswordHasher.problem(with: password) { errors.add("password", problem) }
        guard errors.isEmpty else {
            return try await userForm(request, context, target: nil, form: form, errors: errors, status: .unprocessableContent)
        }
        let hash = try await hasher.hash(password)
        let created: DashboardUser
        do {
            created = try await withStores { [tenantId] in try await $0.users.create(email: email, passwordHash: hash, role: role, tenantId: tenantId)
            }
        } catch {
            guard let storeError = StoreError.unwrapping(error, entity: "user") else { throw error }
            if case .conflict = storeError { errors.add("email", "already has an account") } else { errors.add(storeError, fallbackField: "email") }
            return try await userForm(request, context, target: nil, form: form, errors: errors, status: .unprocessableContent)
        }
        try await recordUserAction(request, context, "create", created, details: ["role": created.role.rawValue])
        return DashboardResponder.redirect("/dashboard/users/\(Self.slug(created.id))", notice: "User \(created.email) created.", context: context)
    }

    private func setUserEnabled(_ enabled: Bool, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.requireDashboardUser()
        guard let target = try await findUser(Self.routeId(context), user: user) else {
            return try notFound(request, context, "user", back: "/dashboard/users")
        }
        if !enabled, target.id == user.id { return try refusedForOwnAccount(request, context, heading: "Not disabled", verb: "disable") }
        let updated = try await withStores { try await $0.users.setEnabled(enabled, id: target.id, tenantId: user.tenantScope) }
        if !enabled { try await sessionStore.removeSessions(userId: target.id) }
        try await recordUserAction(request, context, enabled ? "enable" : "disable", updated)
        return DashboardResponder.redirect(
            "/dashboard/users",
            notice: "User \(updated.email) \(enabled ? "enabled" : "disabled and signed out").",
            context: context
        )
    }

    private func resetPassword(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.requireDashboardUser()
        let form = try context.requireDashboardForm()
        guard let target = try await findUser(Self.routeId(context), user: user) else {
            return try notFound(request, context, "user", back: "/dashboard/users")
        }
        let password = form.value("password") ?? ""
        if let problem = PasswordHasher.problem(with: password) {
            var errors = FieldErrors()
            errors.add("password", problem)
            return try await userForm(request, context, target: target, form: nil, errors: errors, status: .unprocessableContent)
        }
        let hash = try await hasher.hash(password)
        try await withStores { try await $0.users.setPasswordHash(hash, id: target.id) }
        // Every session of the user ends, including this one when they changed their own password.
        try await sessionStore.removeSessions(userId: target.id)
        try await recordUserAction(request, context, "password_reset", target)
        if target.id == user.id { return DashboardResponder.redirect("/login") }
        return DashboardResponder.redirect(
            "/dashboard/users/\(Self.slug(target.id))",
            notice: "Password of \(target.email) changed; their sessions were signed out.",
            context: context
        )
    }

    private func deleteUser(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.requireDashboardUser()
        guard let target = try await findUser(Self.routeId(context), user: user) else {
            return try notFound(request, context, "user", back: "/dashboard/users")
        }
        if target.id == user.id { return try refusedForOwnAccount(request, context, heading: "Not deleted", verb: "delete") }
        try await withStores { try await $0.users.delete(id: target.id, tenantId: user.tenantScope) }
        try await sessionStore.removeSessions(userId: target.id)
        try await recordUserAction(request, context, "delete", target, details: ["role": target.role.rawValue])
        return DashboardResponder.redirect("/dashboard/users", notice: "User \(target.email) deleted.", context: context)
    }

    /// The 409 page for a user who tried to `verb` their own account (nobody disables or deletes
    /// themself), linking back to it.
    private func refusedForOwnAccount(_ request: Request, _ context: AppRequestContext, heading: String, verb: String) throws -> Response {
        try responder.message(
            request,
            context,
            status: .conflict,
            heading: heading,
            text: "You cannot \(verb) your own account.",
            backHref: "/dashboard/users/\(Self.slug(try context.requireDashboardUser().id))"
        )
    }

    /// Records `user.<verb>` in the audit log about `target`, named by email within its tenant.
    private func recordUserAction(
        _ request: Request,
        _ context: AppRequestContext,
        _ verb: String,
        _ target: DashboardUser,
        details: [String: String] = [:]
    ) async throws {
        try await record(
            context,
            request,
            action: "user.\(verb)",
            tenantId: target.tenantId,
            targetType: "user",
            targetId: target.email,
            details: details
        )
    }
}
