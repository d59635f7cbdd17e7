import Hummingbird
import Logging
import Shared

/// `GET /api/sources`: the calling tenant's sources (no secrets), so integrations and the upload
/// page can pick where leads go.
struct SourcesController: Sendable {
    let stores: DataStores
    let logger: Logger

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("sources") { _, context in
            let apiKey = try context.requireAPIKey()
            let sources = try await withDatabaseTimeLimit { [stores, logger] in
                try await SourceStore(client: stores.postgres, logger: logger).list(tenantId: apiKey.tenantId)
            }
            return try ImportsController.json(.ok, ["sources": sources])
        }
    }
}
