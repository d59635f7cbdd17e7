import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import Shared

extension DashboardController {
    /// Sources, destinations, tenants, API keys and users (create / edit / enable / disable / delete).
    func addConfigurationRoutes(to group: RouterGroup<AppRequestContext>) {
        addSourceRoutes(to: group)
        addDestinationRoutes(to: group)
        addAPIKeyRoutes(to: group)
        addTenantRoutes(to: group)
        addUserRoutes(to: group)
    }

    /// The configuration stores, for one request.
    struct ConfigurationStores: Sendable {
        let tenants: TenantStore
        let sources: SourceStore
        let destinations: DestinationStore
        let apiKeys: APIKeyStore
        let users: UserStore
    }

    /// Runs `body` with the configuration stores, answering 503 when the database is unreachable.
    func withStores<T: Sendable>(_ body: @escaping @Sendable (ConfigurationStores) async throws -> T) async throws -> T {
        let configuration = ConfigurationStores(
            tenants: TenantStore(client: stores.postgres, logger: logger),
            sources: SourceStore(client: stores.postgres, logger: logger),
            destinations: DestinationStore(client: stores.postgres, logger: logger),
            apiKeys: APIKeyStore(client: stores.postgres, logger: logger),
            users: UserStore(client: stores.postgres, logger: logger)
        )
        return try await withDatabaseTimeLimit { try await body(configuration) }
    }

    /// The 404 page for an id that does not exist or belongs to another tenant (the same answer, so ids do not leak).
    func notFound(_ request: Request, _ context: AppRequestContext, _ kind: String, back: String) throws -> Response {
        try responder.message(
            request,
            context,
            status: .notFound,
            heading: "\(kind.prefix(1).uppercased() + kind.dropFirst()) not found",
            text: "There is no \(kind) with this id that you can see.",
            backHref: back
        )
    }

    /// The UUID in the route's `{id}`, if it is one.
    static func routeId(_ context: AppRequestContext) -> UUID? {
        context.parameters.get("id").flatMap(UUID.init(uuidString:))
    }

    /// Names of every tenant the user may see, by id (operators: all; members: their own).
    func tenantNames(for user: DashboardUser) async throws -> [UUID: String] {
        let tenants = try await withStores { stores in
            if let scope = user.tenantScope { return [try await stores.tenants.find(scope.uuidString)] }
            return try await stores.tenants.list()
        }
        return Dictionary(tenants.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
    }

    /// The tenant picker of an operator's create form, `selected` preselected.
    static func tenantOptions(_ names: [UUID: String], selected: UUID?) -> [Option] {
        [Option(value: "", label: "Choose a tenant…", selected: selected == nil)]
            + names.sorted { $0.value.localizedCaseInsensitiveCompare($1.value) == .orderedAscending }.map {
                Option(value: $0.key.uuidString.lowercased(), label: $0.value, selected: $0.key == selected)
            }
    }

    /// The tenant a new record goes to: the member's own, or the one an operator picked.
    static func targetTenant(_ form: FormBody, user: DashboardUser, known: [UUID: String], errors: inout FieldErrors) -> UUID? {
        if let scope = user.tenantScope { return scope }
        guard let id = form.value("tenant").flatMap(UUID.init(uuidString:)), known[id] != nil else {
            errors.add("tenant", "choose a tenant")
            return nil
        }
        return id
    }

    /// A configuration record as the audit log and the notices name it.
    struct AuditedRecord {
        /// `source`, `destination`, `tenant` (the audit action's first word and target type).
        var kind: String
        /// The list's path under `/dashboard` (`sources`).
        var area: String
        var id: UUID
        var tenantId: UUID
        var name: String
    }

    /// Records `<kind>.<verb>` for `target` and redirects to `path` (default: the list) with a notice.
    func recordAndRedirect(
        _ context: AppRequestContext,
        _ request: Request,
        _ target: AuditedRecord,
        verb: String,
        details: [String: String] = [:],
        to path: String? = nil
    ) async throws -> Response {
        try await record(
            context,
            request,
            action: "\(target.kind).\(verb)",
            tenantId: target.tenantId,
            targetType: target.kind,
            targetId: Self.slug(target.id),
            details: details.merging(["name": target.name]) { current, _ in current }
        )
        let past = ["create": "created", "update": "saved", "enable": "enabled", "disable": "disabled", "delete": "deleted"][verb] ?? verb
        return DashboardResponder.redirect(
            path ?? "/dashboard/\(target.area)",
            notice: "\(target.kind.prefix(1).uppercased() + target.kind.dropFirst()) “\(target.name)” \(past).",
            context: context
        )
    }

    /// A 409 page saying why nothing changed (`message` is a store conflict's text).
    func refused(_ request: Request, _ context: AppRequestContext, heading: String, message: String, back: String) throws -> Response {
        try responder.message(
            request,
            context,
            status: .conflict,
            heading: heading,
            text: message.prefix(1).uppercased() + message.dropFirst() + ".",
            backHref: back
        )
    }

    /// `id` as it appears in URLs.
    static func slug(_ id: UUID) -> String { id.uuidString.lowercased() }
}

/// Problems with a submitted form, by field name; shown next to the fields and summed up at the top.
struct FieldErrors: Sendable {
    private(set) var messages: [(field: String, message: String)] = []

    var isEmpty: Bool { messages.isEmpty }

    /// Adds a problem with `field`.
    mutating func add(_ field: String, _ message: String) { messages.append((field, message)) }

    /// Adds a store error (invalid → its field, conflict → `fallbackField`).
    mutating func add(_ error: StoreError, fallbackField: String = "form") {
        switch error {
        case .invalid(let field, let message): add(field, message)
        case .conflict(let message): add(message.contains("name") ? "name" : fallbackField, message)
        case .notFound: add(fallbackField, error.description)
        }
    }

    /// Runs `body`, recording its store error; nil when it failed.
    mutating func check<T>(_ body: () throws(StoreError) -> T) -> T? {
        do {
            return try body()
        } catch {
            add(error)
            return nil
        }
    }

    /// The message for `field`, if any.
    subscript(field: String) -> String? {
        messages.first { $0.field == field }?.message
    }

    /// One line for the top of the form.
    var summary: String? {
        isEmpty
            ? nil
            : "Please correct the highlighted fields: "
                + messages.map { "\($0.field.replacingOccurrences(of: "_", with: " ")) \($0.message)" }.joined(separator: "; ") + "."
    }
}

extension FormBody {
    /// Whether a check box named `name` was ticked.
    func isChecked(_ name: String) -> Bool { value(name) != nil }

    /// The raw text of `name` (empty when absent), for re-rendering a form with what was typed.
    func text(_ name: String) -> String { value(name) ?? "" }
}
