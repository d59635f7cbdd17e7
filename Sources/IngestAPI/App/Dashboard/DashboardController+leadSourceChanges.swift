import Foundation
import Shared

extension DashboardController {
    /// An edit of the lead's record at its source after it was accepted (an edited sheet row), as
    /// the lead page shows it: the fields that changed, before and after.
    struct LeadSourceChangeView {
        struct Field {
            var field: String
            /// Empty when the field was not there.
            var before: String
            /// Empty when the field is gone.
            var after: String
        }
        var at: String
        var location: String
        var fields: [Field]
    }

    /// The source-side edits of lead `leadId` of `tenantId`, newest first.
    func leadSourceChanges(leadId: Int64, tenantId: UUID) async throws -> [LeadSourceChangeView] {
        let changes = try await withDatabaseTimeLimit { [stores, logger] in
            try await SourcePollStore(client: stores.postgres, logger: logger).changes(leadId: leadId, tenantId: tenantId)
        }
        return changes.map { change in
            LeadSourceChangeView(
                at: DashboardFormat.time(change.at),
                location: change.location,
                fields: change.differences.map { .init(field: $0.field, before: $0.before ?? "", after: $0.after ?? "") }
            )
        }
    }
}
