import Foundation
import HTTPTypes
import Hummingbird
import Shared

extension DashboardController {
    /// Create or edit one sequence: its name and its definition as JSON text, with a preview.
    struct SequenceFormView {
        var chrome: DashboardChrome
        var isNew: Bool
        var action: String
        var id: String
        var name: String
        var pickTenant: Bool
        var tenants: [Option]
        var tenantName: String
        /// The definition as typed, or as stored (``SequenceDefinition/json``).
        var definition: String
        /// The names steps may use; nil when no tenant is chosen yet.
        var destinations: String?
        var errors: FieldErrors
        /// When the preview's lead entered; nil when there is no preview.
        var previewAt: String?
        var preview: [SequenceText.PreviewLine]
    }

    func addSequenceFormRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("sequences/new") { request, context in
            try await sequenceForm(request, context, sequence: nil, form: nil, errors: FieldErrors())
        }
        group.post("sequences") { request, context in try await saveSequence(request, context, editing: false) }
        group.get("sequences/{id}/edit") { request, context in
            guard let sequence = try await routeSequence(context) else { return try sequenceNotFound(request, context) }
            return try await sequenceForm(request, context, sequence: sequence, form: nil, errors: FieldErrors())
        }
        group.post("sequences/{id}") { request, context in try await saveSequence(request, context, editing: true) }
        group.post("sequences/{id}/enable") { request, context in try await setSequenceEnabled(true, request, context) }
        group.post("sequences/{id}/disable") { request, context in try await setSequenceEnabled(false, request, context) }
    }

    /// The form, filled from `sequence` or from what was posted, with the schedule of `preview` when given.
    private func sequenceForm(
        _ request: Request,
        _ context: AppRequestContext,
        sequence: FollowUpSequence?,
        form: FormBody?,
        errors: FieldErrors,
        preview: SequenceDefinition? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let user = try context.requireDashboardUser()
        let tenants = try await tenantNames(for: user)
        let tenantId = sequence?.tenantId ?? user.tenantScope ?? form?.value("tenant").flatMap(UUID.init(uuidString:))
        var destinations: [String]?
        if let tenantId { destinations = try await withStores { try await $0.destinations.list(tenantId: tenantId) }.map(\.name).sorted() }
        let now = Date()
        var definition = form.map { $0.text("definition") } ?? sequence.map { JSONText.pretty($0.definitionJSON) }
        if definition == nil {
            definition = Self.exampleDefinition(destinations: destinations ?? [], timeZone: try await tenantTimeZone(tenantId))
        }
        let view = SequenceFormView(
            chrome: try responder.chrome(request, context, problem: errors.summary),
            isNew: sequence == nil,
            action: sequence.map { "/dashboard/sequences/\(Self.slug($0.id))" } ?? "/dashboard/sequences",
            id: sequence.map { Self.slug($0.id) } ?? "",
            name: form.map { $0.text("name") } ?? sequence?.name ?? "",
            pickTenant: user.role == .operator && sequence == nil,
            tenants: Self.tenantOptions(tenants, selected: tenantId),
            tenantName: tenantId.flatMap { tenants[$0] } ?? "",
            definition: definition ?? "",
            destinations: destinations.map { $0.isEmpty ? "none yet: create destinations first" : $0.joined(separator: ", ") },
            errors: errors,
            previewAt: preview.map { _ in ScheduledStep.utcText(now) },
            preview: preview.map { SequenceText.preview(of: $0, enrolledAt: now) } ?? []
        )
        return responder.page("sequence_form", view, status: status)
    }

    /// A starting point for a new sequence: the tenant's zone, a daytime window, two steps.
    static func exampleDefinition(destinations: [String], timeZone: String) -> String {
        let first = destinations.first ?? "<destination name>"
        let second = destinations.dropFirst().first ?? first
        return JSONText.pretty(
            JSONValue.object([
                "time_zone": .string(timeZone),
                "window": .object(["start": .string("08:00"), "end": .string("21:00")]),
                "steps": .array([
                    .object(["destination": .string(first)]),
                    .object(["destination": .string(second), "after": .string("24h"), "unless": .array([.string("replied")])]),
                ]),
            ])
        )
    }

    /// The IANA zone of tenant `tenantId` (`UTC` when none is chosen).
    private func tenantTimeZone(_ tenantId: UUID?) async throws -> String {
        guard let tenantId else { return "UTC" }
        return try await withStores { try await $0.tenants.find(tenantId.uuidString).timezone }
    }

    /// Checks and saves the posted form (or only previews it when its `intent` is `preview`).
    private func saveSequence(_ request: Request, _ context: AppRequestContext, editing: Bool) async throws -> Response {
        let user = try context.requireDashboardUser()
        let form = try context.requireDashboardForm()
        let existing = editing ? try await routeSequence(context) : nil
        if editing, existing == nil { return try sequenceNotFound(request, context) }
        var errors = FieldErrors()
        let known = try await tenantNames(for: user)
        let tenantId = existing?.tenantId ?? Self.targetTenant(form, user: user, known: known, errors: &errors)
        let name = errors.check { () throws(StoreError) in try ConfigurationInput.name(form.value("name")) }
        var definition: SequenceDefinition?
        if let tenantId { definition = try await checkedDefinition(form.text("definition"), tenantId: tenantId, errors: &errors) }
        if form.value("intent") == "preview" {
            return try await sequenceForm(
                request,
                context,
                sequence: existing,
                form: form,
                errors: errors,
                preview: definition,
                status: definition == nil ? .unprocessableContent : .ok
            )
        }
        guard errors.isEmpty, let tenantId, let name, let definition else {
            return try await sequenceForm(request, context, sequence: existing, form: form, errors: errors, status: .unprocessableContent)
        }
        let saved: FollowUpSequence
        do {
            saved = try await withDatabaseTimeLimit { [stores, logger] in
                let store = SequenceStore(client: stores.postgres, logger: logger)
                if let existing { return try await store.update(existing, name: name, definition: definition, actor: user.email) }
                return try await store.create(tenantId: tenantId, name: name, definition: definition, actor: user.email)
            }
        } catch {
            guard let storeError = StoreError.unwrapping(error, entity: "sequence") else { throw error }
            errors.add(storeError)
            return try await sequenceForm(request, context, sequence: existing, form: form, errors: errors, status: .unprocessableContent)
        }
        return DashboardResponder.redirect(
            "/dashboard/sequences/\(Self.slug(saved.id))",
            notice: "Sequence “\(saved.name)” \(existing == nil ? "created" : "saved") (version \(saved.version)).",
            context: context
        )
    }

    /// The definition `text` describes for tenant `tenantId` (its zone, region and destinations);
    /// nil with the problem in `errors` under `definition` when it is not one.
    private func checkedDefinition(_ text: String, tenantId: UUID, errors: inout FieldErrors) async throws -> SequenceDefinition? {
        let json: JSONValue
        do {
            json = try JSONValue.parse(text)
        } catch {
            errors.add("definition", "is not JSON: \(error)")
            return nil
        }
        let (tenant, destinations) = try await withStores { stores in
            (try await stores.tenants.find(tenantId.uuidString), try await stores.destinations.list(tenantId: tenantId))
        }
        do {
            return try SequenceDefinition(json: json, tenant: tenant, destinations: destinations)
        } catch {
            errors.add("definition", error.description)
            return nil
        }
    }

    /// Lets new leads enter the route's sequence again, or stops them (enrollments in flight go on).
    private func setSequenceEnabled(_ enabled: Bool, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.requireDashboardUser()
        guard let sequence = try await routeSequence(context) else { return try sequenceNotFound(request, context) }
        let updated = try await withDatabaseTimeLimit { [stores, logger] in
            try await SequenceStore(client: stores.postgres, logger: logger).update(sequence, enabled: enabled, actor: user.email)
        }
        let what = enabled ? "enabled: new leads enter it" : "disabled: no new enrollments; those running go on"
        return DashboardResponder.redirect(
            "/dashboard/sequences/\(Self.slug(updated.id))",
            notice: "Sequence “\(updated.name)” \(what).",
            context: context
        )
    }
}
