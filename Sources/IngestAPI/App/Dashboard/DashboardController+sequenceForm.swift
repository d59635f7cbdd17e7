import Foundation
import HTTPTypes
import Hummingbird
import Shared

extension DashboardController {
    /// Create or edit one sequence: its name and its definition, in fields or as JSON text, with a preview.
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
        /// The structured editor.
        var editor: SequenceEditorView
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
    /// Posted as JSON, the fields show that JSON when it is an object; posted as fields, the JSON
    /// block shows the document they make.
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
        var tenantDestinations: [Destination]?
        if let tenantId { tenantDestinations = try await withStores { try await $0.destinations.list(tenantId: tenantId) } }
        let known = tenantDestinations ?? []
        let destinations = tenantDestinations?.map(\.name).sorted()
        let zone = try await tenantTimeZone(tenantId)
        let now = Date()
        let jsonMode = form.map(Self.postsJSON) ?? false
        let definition: String
        let fields: SequenceFormFields
        switch (form, sequence) {
        case (let form?, _) where jsonMode:
            definition = form.text("definition")
            if let json = try? JSONValue.parse(definition), case .object = json {
                fields = SequenceFormFields(definition: json, destinations: known)
            } else {
                fields = SequenceFormFields(form: form)
            }
        case (let form?, _):
            fields = SequenceFormFields(form: form)
            definition = JSONText.pretty(fields.definitionJSON(destinations: known))
        case (nil, let sequence?):
            definition = JSONText.pretty(sequence.definitionJSON)
            fields = SequenceFormFields(definition: sequence.definitionJSON, destinations: known)
        case (nil, nil):
            let example = Self.exampleDefinitionJSON(destinations: destinations ?? [], timeZone: zone)
            definition = JSONText.pretty(example)
            fields = SequenceFormFields(definition: example, destinations: known)
        }
        let view = SequenceFormView(
            chrome: try responder.chrome(request, context, problem: Self.sequenceProblem(errors)),
            isNew: sequence == nil,
            action: sequence.map { "/dashboard/sequences/\(Self.slug($0.id))" } ?? "/dashboard/sequences",
            id: sequence.map { Self.slug($0.id) } ?? "",
            name: form.map { $0.text("name") } ?? sequence?.name ?? "",
            pickTenant: user.role == .operator && sequence == nil,
            tenants: Self.tenantOptions(tenants, selected: tenantId),
            tenantName: tenantId.flatMap { tenants[$0] } ?? "",
            definition: definition,
            destinations: destinations.map { $0.isEmpty ? "none yet: create destinations first" : $0.joined(separator: ", ") },
            errors: errors,
            editor: SequenceEditorView(fields: fields, destinations: known, tenantZone: zone, errors: errors, jsonMode: jsonMode),
            previewAt: preview.map { _ in ScheduledStep.utcText(now) },
            preview: preview.map { SequenceText.preview(of: $0, enrolledAt: now) } ?? []
        )
        return responder.page("sequence_form", view, status: status)
    }

    /// Whether a post is read as JSON: `mode=json`, or no `mode` at all (a script, or a page from
    /// before the fields, posts only `definition`).
    static func postsJSON(_ form: FormBody) -> Bool {
        form.value("mode").map { $0 == "json" } ?? true
    }

    /// The line atop the form: each problem with the input it belongs to (`step 2 window start …`).
    static func sequenceProblem(_ errors: FieldErrors) -> String? {
        guard !errors.isEmpty else { return nil }
        return "Please correct the highlighted fields: "
            + errors.messages.map { "\(SequenceFormFields.label(ofInput: $0.field)) \($0.message)" }.joined(separator: "; ") + "."
    }

    /// A starting point for a new sequence: the tenant's zone, a daytime window, two steps.
    static func exampleDefinition(destinations: [String], timeZone: String) -> String {
        JSONText.pretty(exampleDefinitionJSON(destinations: destinations, timeZone: timeZone))
    }

    /// ``exampleDefinition(destinations:timeZone:)`` as a document.
    static func exampleDefinitionJSON(destinations: [String], timeZone: String) -> JSONValue {
        let first = destinations.first ?? "<destination name>"
        let second = destinations.dropFirst().first ?? first
        return JSONValue.object([
            "time_zone": .string(timeZone),
            "window": .object(["start": .string("08:00"), "end": .string("21:00")]),
            "steps": .array([
                .object(["destination": .string(first)]),
                .object(["destination": .string(second), "after": .string("24h"), "unless": .array([.string("replied")])]),
            ]),
        ])
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
        if let tenantId {
            definition =
                Self.postsJSON(form)
                ? try await checkedDefinition(form.text("definition"), tenantId: tenantId, errors: &errors)
                : try await checkedFields(SequenceFormFields(form: form), tenantId: tenantId, errors: &errors)
        }
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
        switch try await parsedDefinition(tenantId: tenantId, { _ in json }) {
        case .success(let definition): return definition
        case .failure(let error):
            errors.add("definition", error.description)
            return nil
        }
    }

    /// The definition `fields` describe for tenant `tenantId`, checked by the same parser as JSON;
    /// nil with each problem in `errors` under the input it belongs to (else under `form`).
    private func checkedFields(_ fields: SequenceFormFields, tenantId: UUID, errors: inout FieldErrors) async throws -> SequenceDefinition? {
        switch try await parsedDefinition(tenantId: tenantId, fields.definitionJSON(destinations:)) {
        case .success(let definition): return definition
        case .failure(let error):
            if let input = SequenceFormFields.input(forErrorField: error.field) {
                errors.add(input, error.message)
            } else {
                errors.add("form", error.description)
            }
            return nil
        }
    }

    /// The document `json` makes of tenant `tenantId`'s destinations, parsed for that tenant.
    private func parsedDefinition(
        tenantId: UUID,
        _ json: ([Destination]) -> JSONValue
    ) async throws -> Result<SequenceDefinition, SequenceDefinitionError> {
        let (tenant, destinations) = try await withStores { stores in
            (try await stores.tenants.find(tenantId.uuidString), try await stores.destinations.list(tenantId: tenantId))
        }
        do {
            return .success(try SequenceDefinition(json: json(destinations), tenant: tenant, destinations: destinations))
        } catch {
            return .failure(error)
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
