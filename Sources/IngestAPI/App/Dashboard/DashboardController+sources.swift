import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import Shared

extension DashboardController {
    /// One source in the list.
    struct SourceRow {
        var id: String
        var name: String
        var kind: String
        var tenant: String
        var publicURL: String
        var destinations: String
        var enabled: Bool
        var secrets: Bool
        var testSource: Bool
    }

    struct SourceFormView {
        struct Secret {
            var name: String
            var label: String
            var isSet: Bool
        }
        var chrome: DashboardChrome
        var isNew: Bool
        var action: String
        var id: String
        var name: String
        var tenants: [Option]
        var pickTenant: Bool
        var tenantName: String
        var kinds: [Option]
        var kindLabel: String
        var presets: [Option]
        var destinations: [Option]
        var config: String
        var fieldMap: String
        var enabled: Bool
        var publicURL: String
        var secrets: [Secret]
        /// Whether the kind takes secrets (webhooks, sheets, Shopmonkey polling); a new source shows them.
        var usesSecrets: Bool
        /// The polling state of a polled source; nil for the others.
        var poll: SourcePollView?
        var errors: FieldErrors
    }

    static let secretLabels = [
        ("signing_secret", "Signing secret"), ("verify_token", "Verify token (Meta)"), ("app_secret", "App secret (Meta)"),
        ("page_token", "Page access token (Meta)"), ("api_token", "API token (monday, Shopmonkey)"), ("auth_token", "Auth token (Twilio)"),
        ("service_account", "Service-account JSON key (Google Sheets)"),
    ]

    func addSourceRoutes(to group: RouterGroup<AppRequestContext>) {
        addRecordPages(.sources, to: group, list: sourceList, form: sourceForm, save: saveSource)
        addSourcePollRoutes(to: group)
    }

    /// Whether sources of `kind` keep secrets: webhook signing keys and tokens, a sheet's
    /// service-account key, a Shopmonkey API token.
    static func usesSecrets(_ kind: SourceKind) -> Bool { kind == .webhook || kind.isPolled }

    /// `/f/{token}` for forms, `/hooks/{token}` for webhooks, empty for the others.
    static func publicURL(_ source: Source) -> String {
        switch source.kind {
        case .form: "/f/\(source.token)"
        case .webhook: "/hooks/\(source.token)"
        case .api, .csv, .sheet, .shopmonkeyPoll: ""
        }
    }

    private func sourceList(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.requireDashboardUser()
        let (sources, destinations) = try await withStores { stores in
            (try await stores.sources.list(tenantId: user.tenantScope), try await stores.destinations.list(tenantId: user.tenantScope))
        }
        let tenants = try await tenantNames(for: user)
        let destinationNames = Dictionary(destinations.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let rows = sources.map { source in
            SourceRow(
                id: Self.slug(source.id),
                name: source.name,
                kind: source.kind.rawValue + (source.preset.map { " / \($0.rawValue)" } ?? ""),
                tenant: tenants[source.tenantId] ?? "",
                publicURL: Self.publicURL(source),
                destinations: source.destinationIds.compactMap { destinationNames[$0] }.joined(separator: ", "),
                enabled: source.enabled,
                secrets: source.hasSecrets,
                testSource: source.config[DestinationTestLead.marker] == .bool(true)
            )
        }
        return responder.page(
            "config_sources",
            ConfigurationListView(
                chrome: try responder.chrome(request, context),
                rows: rows,
                showTenant: user.role == .operator
            )
        )
    }

    /// The create/edit form: from `source` (edit) and/or the submitted `form` (after a problem).
    private func sourceForm(
        _ request: Request,
        _ context: AppRequestContext,
        source: Source?,
        form: FormBody?,
        errors: FieldErrors,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let user = try context.requireDashboardUser()
        let tenants = try await tenantNames(for: user)
        let destinations = try await withStores { try await $0.destinations.list(tenantId: source?.tenantId ?? user.tenantScope) }
        let selectedTenant = source?.tenantId ?? user.tenantScope ?? form?.value("tenant").flatMap(UUID.init(uuidString:))
        let selectedDestinations = Set(form.map { $0.values("destinations").compactMap(UUID.init(uuidString:)) } ?? source?.destinationIds ?? [])
        let kind = source?.kind.rawValue ?? form?.value("kind") ?? "api"
        let preset = source?.preset?.rawValue ?? form?.value("preset") ?? ""
        var secretsSet: Set<String> = []
        if let source, source.hasSecrets {
            secretsSet = try await withStores { [secretBox] stores in
                try SourceSecrets.open(try await stores.sources.sealedSecrets(sourceId: source.id), with: secretBox).namesSet
            }
        }
        var poll: SourcePollView?
        if let source { poll = try await sourcePollView(source) }
        let view = SourceFormView(
            chrome: try responder.chrome(request, context, problem: errors.summary),
            isNew: source == nil,
            action: source.map { "/dashboard/sources/\(Self.slug($0.id))" } ?? "/dashboard/sources",
            id: source.map { Self.slug($0.id) } ?? "",
            name: form?.text("name") ?? source?.name ?? "",
            tenants: user.role == .operator ? Self.tenantOptions(tenants, selected: selectedTenant) : [],
            pickTenant: user.role == .operator && source == nil,
            tenantName: selectedTenant.flatMap { tenants[$0] } ?? "",
            kinds: SourceKind.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: $0.rawValue == kind) },
            kindLabel: kind + (preset.isEmpty ? "" : " / \(preset)"),
            presets: [Option(value: "", label: "— (not a webhook)", selected: preset.isEmpty)]
                + WebhookPreset.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: $0.rawValue == preset) },
            destinations: destinations.map { destination in
                Option(
                    value: Self.slug(destination.id),
                    label: destination.name + (source == nil && user.role == .operator ? " (\(tenants[destination.tenantId] ?? ""))" : "")
                        + (destination.enabled ? "" : " — disabled"),
                    selected: selectedDestinations.contains(destination.id)
                )
            },
            config: form?.text("config") ?? source.map { $0.config.isEmpty ? "" : JSONText.pretty($0.config) } ?? "",
            fieldMap: form?.text("field_map") ?? source.map { $0.fieldMap.isEmpty ? "" : JSONText.pretty($0.fieldMap) } ?? "",
            enabled: form.map { $0.isChecked("enabled") } ?? source?.enabled ?? true,
            publicURL: source.map(Self.publicURL) ?? "",
            secrets: Self.secretLabels.map { .init(name: $0.0, label: $0.1, isSet: secretsSet.contains($0.0)) },
            usesSecrets: source.map { Self.usesSecrets($0.kind) } ?? true,
            poll: poll,
            errors: errors
        )
        return responder.page("config_source_form", view, status: status)
    }

    private func saveSource(_ request: Request, _ context: AppRequestContext, id: UUID?) async throws -> Response {
        guard let post = try await recordFormPost(.sources, id: id, context: context) else { return try notFound(request, context, .sources) }
        let (form, existing, tenantId, name) = (post.form, post.existing, post.tenantId, post.name)
        var errors = post.errors
        let kind = existing?.kind ?? errors.check { () throws(StoreError) in try ConfigurationInput.sourceKind(form.value("kind")) }
        let preset =
            existing != nil
            ? existing?.preset
            : kind.flatMap { kind in errors.check { () throws(StoreError) in try ConfigurationInput.preset(form.value("preset"), kind: kind) } ?? nil
            }
        let config = errors.check { () throws(StoreError) in
            try ConfigurationInput.json([String: JSONValue].self, form.value("config"), field: "config") ?? [:]
        }
        let fieldMap = errors.check { () throws(StoreError) in
            try ConfigurationInput.json([String: String].self, form.value("field_map"), field: "field_map") ?? [:]
        }
        let assignments =
            SourceSecrets.names.compactMap { name in form.value("secret_" + name).map { (name: name, value: $0) } }
            + form.values("clear_secret").filter { SourceSecrets.names.contains($0) }.map { (name: $0, value: "") }
        if !assignments.isEmpty, let kind, !Self.usesSecrets(kind) {
            errors.add("secret", "only webhook sources use secrets (and the polled kinds: sheet, shopmonkey_poll)")
        }
        let destinationIds = form.values("destinations").compactMap(UUID.init(uuidString:))
        if let tenantId, !destinationIds.isEmpty {
            let allowed = Set(try await withStores { try await $0.destinations.list(tenantId: tenantId) }.map(\.id))
            if !destinationIds.allSatisfy(allowed.contains) { errors.add("destinations", "pick destinations of the source's own tenant") }
        }
        guard errors.isEmpty, let tenantId, let name, let kind, let config, let fieldMap else {
            return try await sourceForm(request, context, source: existing, form: form, errors: errors, status: .unprocessableContent)
        }
        let saved: Source
        do {
            saved = try await withStores { [secretBox] stores in
                let sealed = try await stores.sources.resealedSecrets(sourceId: existing?.id, applying: assignments, box: secretBox)
                guard var record = existing else {
                    return try await stores.sources.create(
                        tenantId: tenantId,
                        name: name,
                        kind: kind,
                        preset: preset,
                        config: config,
                        fieldMap: fieldMap,
                        sealedSecrets: sealed,
                        destinationIds: destinationIds
                    )
                }
                record.name = name
                record.config = config
                record.fieldMap = fieldMap
                record.enabled = form.isChecked("enabled")
                try await stores.sources.setDestinations(sourceId: record.id, tenantId: record.tenantId, destinationIds: destinationIds)
                return try await stores.sources.update(record, sealedSecrets: sealed)
            }
        } catch {
            guard let storeError = StoreError.unwrapping(error, entity: "source") else { throw error }
            errors.add(storeError)
            return try await sourceForm(request, context, source: existing, form: form, errors: errors, status: .unprocessableContent)
        }
        var details = ["kind": saved.kind.rawValue, "destinations": "\(saved.destinationIds.count)"]
        if !assignments.isEmpty { details["secrets_changed"] = assignments.map(\.name).joined(separator: ",") }
        return try await savedRedirect(request, context, .sources, saved, created: existing == nil, details: details)
    }
}
