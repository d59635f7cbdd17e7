import Foundation
import Hummingbird
import Shared

/// A posted create or edit form of a destination or a source, with what each save of one checks
/// first: the record it edits (nil for a new one), the tenant it belongs to and the name typed.
struct RecordFormPost<Record: TenantOwnedRecord> {
    /// Who posted it.
    let user: DashboardUser
    /// The fields posted.
    let form: FormBody
    /// The record edited; nil when the form creates one.
    let existing: Record?
    /// The edited record's tenant, or the one a new record goes to; nil when none was picked.
    let tenantId: UUID?
    /// The name typed; nil when it is not acceptable.
    let name: String?
    /// The problems found so far (tenant, name).
    var errors: FieldErrors
}

extension DashboardController {
    /// The form posted to the page of record `id` of `records` (nil: the create form); nil when the
    /// route names a record the user may not see.
    func recordFormPost<Record>(
        _ records: DashboardRecords<Record>,
        id: UUID?,
        context: AppRequestContext
    ) async throws -> RecordFormPost<Record>? {
        let user = try context.requireDashboardUser()
        let form = try context.requireDashboardForm()
        let existing = try await find(records, id, user: user)
        if existing == nil, context.parameters.get("id") != nil { return nil }
        var errors = FieldErrors()
        let tenants = try await tenantNames(for: user)
        let tenantId = existing?.tenantId ?? Self.targetTenant(form, user: user, known: tenants, errors: &errors)
        let name = errors.check { () throws(StoreError) in try ConfigurationInput.name(form.value("name")) }
        return RecordFormPost(user: user, form: form, existing: existing, tenantId: tenantId, name: name, errors: errors)
    }
}
