import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import Shared

extension DashboardController {
    /// One destination in the list.
    struct DestinationRow {
        var id: String
        var name: String
        var kind: String
        var tenant: String
        var enabled: Bool
        var dryRun: Bool
        var hasSecret: Bool
        var maxAttempts: Int
        var rateLimit: String
        /// Why the provider refused the credential, while the destination is suspended; nil otherwise.
        var suspended: String?
    }

    struct DestinationFormView {
        var chrome: DashboardChrome
        var isNew: Bool
        var action: String
        var id: String
        var name: String
        var tenants: [Option]
        var pickTenant: Bool
        var tenantName: String
        var kinds: [Option]
        var kindGuides = DashboardController.destinationKindGuides
        var defaultRateLimits = DashboardController.defaultRateLimits
        var kind: String
        var config: String
        var baseURL: String
        var dryRun: Bool
        var enabled: Bool
        /// Whether the signed-in user may allow private network addresses (operators only).
        var canAllowPrivateNetwork: Bool
        var allowPrivateNetwork: Bool
        var rateLimitRequests: String
        var rateLimitInterval: String
        var maxAttempts: String
        var timeout: String
        var hasSecret: Bool
        var errors: FieldErrors
    }

    struct TestLeadView {
        var chrome: DashboardChrome
        var destination: String
        var destinationId: String
        var leadId: Int64
        var email: String
        var dryRun: Bool
        var maxAttempts: Int
    }

    func addDestinationRoutes(to group: RouterGroup<AppRequestContext>) {
        addRecordPages(.destinations, to: group, list: destinationList, form: destinationForm, save: saveDestination)
        group.post("destinations/{id}/test") { request, context in try await sendTestLead(request, context) }
    }

    static func rateLimit(_ destination: Destination) -> String {
        guard let requests = destination.rateLimitRequests, let interval = destination.rateLimitIntervalMilliseconds else { return "none" }
        return "\(requests) / \(interval) ms"
    }

    private func destinationList(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.requireDashboardUser()
        let destinations = try await withStores { try await $0.destinations.list(tenantId: user.tenantScope) }
        let tenants = try await tenantNames(for: user)
        let rows = destinations.map { destination in
            DestinationRow(
                id: Self.slug(destination.id),
                name: destination.name,
                kind: destination.kind.rawValue,
                tenant: tenants[destination.tenantId] ?? "",
                enabled: destination.enabled,
                dryRun: destination.dryRun,
                hasSecret: destination.hasSecret,
                maxAttempts: destination.maxAttempts,
                rateLimit: Self.rateLimit(destination),
                suspended: destination.suspendedAt.map { "since \(DashboardFormat.time($0)): \(destination.suspendedReason ?? "credential refused")" }
            )
        }
        return responder.page(
            "config_destinations",
            ConfigurationListView(
                chrome: try responder.chrome(request, context),
                rows: rows,
                showTenant: user.role == .operator
            )
        )
    }

    private func destinationForm(
        _ request: Request,
        _ context: AppRequestContext,
        destination: Destination?,
        form: FormBody?,
        errors: FieldErrors,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let user = try context.requireDashboardUser()
        let tenants = try await tenantNames(for: user)
        let selectedTenant = destination?.tenantId ?? user.tenantScope ?? form?.value("tenant").flatMap(UUID.init(uuidString:))
        let kind = destination?.kind.rawValue ?? form?.value("kind") ?? DestinationKind.http.rawValue
        func typed(_ name: String, _ current: String?) -> String { form.map { $0.text(name) } ?? current ?? "" }
        let view = DestinationFormView(
            chrome: try responder.chrome(request, context, problem: errors.summary),
            isNew: destination == nil,
            action: destination.map { "/dashboard/destinations/\(Self.slug($0.id))" } ?? "/dashboard/destinations",
            id: destination.map { Self.slug($0.id) } ?? "",
            name: typed("name", destination?.name),
            tenants: Self.tenantOptions(tenants, selected: selectedTenant),
            pickTenant: user.role == .operator && destination == nil,
            tenantName: selectedTenant.flatMap { tenants[$0] } ?? "",
            kinds: Self.destinationKindOptions(selected: kind),
            kind: kind,
            config: typed("config", destination.map { $0.config.isEmpty ? "" : JSONText.pretty($0.config) }),
            baseURL: typed("base_url", destination?.baseURL),
            dryRun: form.map { $0.isChecked("dry_run") } ?? destination?.dryRun ?? false,
            enabled: form.map { $0.isChecked("enabled") } ?? destination?.enabled ?? true,
            canAllowPrivateNetwork: user.role == .operator,
            allowPrivateNetwork: user.role == .operator
                ? form.map { $0.isChecked("allow_private_network") } ?? destination?.allowPrivateNetwork ?? false
                : destination?.allowPrivateNetwork ?? false,
            rateLimitRequests: typed("rate_limit_requests", destination?.rateLimitRequests.map(String.init)),
            rateLimitInterval: typed("rate_limit_interval_ms", destination?.rateLimitIntervalMilliseconds.map(String.init)),
            maxAttempts: typed("max_attempts", destination.map { String($0.maxAttempts) }),
            timeout: typed("timeout_ms", destination.map { String($0.timeoutMilliseconds) }),
            hasSecret: destination?.hasSecret ?? false,
            errors: errors
        )
        return responder.page("config_destination_form", view, status: status)
    }

    private func saveDestination(_ request: Request, _ context: AppRequestContext, id: UUID?) async throws -> Response {
        guard let post = try await recordFormPost(.destinations, id: id, context: context) else {
            return try notFound(request, context, .destinations)
        }
        let (user, form, existing, tenantId, name) = (post.user, post.form, post.existing, post.tenantId, post.name)
        var errors = post.errors
        let kind = existing?.kind ?? errors.check { () throws(StoreError) in try ConfigurationInput.destinationKind(form.value("kind")) }
        let config = errors.check { () throws(StoreError) in
            let config = try ConfigurationInput.json([String: JSONValue].self, form.value("config"), field: "config") ?? [:]
            return try kind.map { kind throws(StoreError) in try ConfigurationInput.destinationConfig(config, kind: kind) } ?? config
        }
        let baseURL = errors.check { () throws(StoreError) in try ConfigurationInput.baseURL(form.value("base_url")) }
        let requests = errors.check { () throws(StoreError) in
            try ConfigurationInput.integer(form.value("rate_limit_requests"), field: "rate_limit", in: 1...100_000)
        }
        let interval = errors.check { () throws(StoreError) in
            try ConfigurationInput.integer(form.value("rate_limit_interval_ms"), field: "rate_limit", in: 1...86_400_000)
        }
        if let requests, let interval, (requests == nil) != (interval == nil) {
            errors.add("rate_limit", "needs both a number of requests and an interval, or neither")
        }
        let maxAttempts = errors.check { () throws(StoreError) in
            try ConfigurationInput.integer(form.value("max_attempts"), field: "max_attempts", in: 1...100)
        }
        let timeout = errors.check { () throws(StoreError) in
            try ConfigurationInput.integer(form.value("timeout_ms"), field: "timeout_ms", in: 100...120_000)
        }
        guard errors.isEmpty, let tenantId, let name, let kind, let config, let baseURL, let requests, let interval, let maxAttempts, let timeout
        else {
            return try await destinationForm(request, context, destination: existing, form: form, errors: errors, status: .unprocessableContent)
        }
        let secret = form.value("secret")
        var draft = existing ?? Destination.withDefaults(tenantId: tenantId, name: name, kind: kind, config: config)
        let defaults = Destination.withDefaults(tenantId: tenantId, name: name, kind: kind, config: config)
        draft.name = name
        draft.config = config
        draft.baseURL = baseURL
        draft.accountKey = defaults.accountKey
        draft.dryRun = form.isChecked("dry_run")
        draft.enabled = form.isChecked("enabled")
        // A new destination keeps the kind's rate limit unless one was typed; an edit saves what the form shows.
        if existing != nil || requests != nil {
            draft.rateLimitRequests = requests
            draft.rateLimitIntervalMilliseconds = interval
        }
        if let maxAttempts { draft.maxAttempts = maxAttempts }
        if let timeout { draft.timeoutMilliseconds = timeout }
        // Only operators may let a destination reach private networks; a member's save keeps what is set.
        if user.role == .operator { draft.allowPrivateNetwork = form.isChecked("allow_private_network") }
        for (field, reason) in await outboundChecker.refusals(of: draft) { errors.add(field, "\(reason)") }
        guard errors.isEmpty else {
            return try await destinationForm(request, context, destination: existing, form: form, errors: errors, status: .unprocessableContent)
        }
        let saved: Destination
        do {
            saved = try await withStores { [secretBox, draft] stores in
                let sealed = try secret.map { try secretBox.seal($0) }
                if existing == nil { return try await stores.destinations.create(draft, sealedSecret: sealed) }
                return try await stores.destinations.update(draft, sealedSecret: sealed)
            }
        } catch {
            guard let storeError = StoreError.unwrapping(error, entity: "destination") else { throw error }
            errors.add(storeError)
            return try await destinationForm(request, context, destination: existing, form: form, errors: errors, status: .unprocessableContent)
        }
        var details = ["kind": saved.kind.rawValue, "dry_run": "\(saved.dryRun)", "max_attempts": "\(saved.maxAttempts)"]
        if saved.allowPrivateNetwork { details["allow_private_network"] = "true" }
        if secret != nil { details["secret"] = "replaced" }
        return try await savedRedirect(request, context, .destinations, saved, created: existing == nil, details: details)
    }

    /// "Send test lead": one made-up lead through the normal write path to this destination only;
    /// the worker delivers it and the lead's timeline shows the outcome (see ``DestinationTestLead``).
    private func sendTestLead(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.requireDashboardUser()
        guard let destination = try await find(.destinations, Self.routeId(context), user: user) else {
            return try notFound(request, context, .destinations)
        }
        let sent: DestinationTestLead.Sent
        do {
            sent = try await withStores { [stores, logger] configuration in
                let region = try await configuration.tenants.find(destination.tenantId.uuidString).defaultRegion
                return try await DestinationTestLead(postgres: stores.postgres, logger: logger).send(
                    to: destination,
                    region: region,
                    requestedBy: user.email
                )
            }
        } catch {
            guard case .conflict(let message)? = StoreError.unwrapping(error, entity: "source") else { throw error }
            return try refused(
                request,
                context,
                heading: "Test lead not sent",
                message: message,
                back: "/dashboard/destinations/\(Self.slug(destination.id))"
            )
        }
        enqueuer.submit(sent.deliveryIds)
        try await record(
            context,
            request,
            action: "destination.test",
            tenantId: destination.tenantId,
            targetType: "destination",
            targetId: Self.slug(destination.id),
            details: ["name": destination.name, "lead_id": "\(sent.leadId)"]
        )
        return responder.page(
            "config_test_lead",
            TestLeadView(
                chrome: try responder.chrome(request, context),
                destination: destination.name,
                destinationId: Self.slug(destination.id),
                leadId: sent.leadId,
                email: sent.email,
                dryRun: destination.dryRun,
                maxAttempts: destination.maxAttempts
            )
        )
    }
}
