import Foundation
import Logging
import PostgresNIO
import Shared

/// What a `leadctl` command works with: the configuration and a running PostgreSQL client.
struct CommandEnvironment: Sendable {
    let configuration: AppConfiguration
    let postgres: PostgresClient
    let logger: Logger

    var tenants: TenantStore { TenantStore(client: postgres, logger: logger) }
    var apiKeys: APIKeyStore { APIKeyStore(client: postgres, logger: logger) }
    var sources: SourceStore { SourceStore(client: postgres, logger: logger) }
    var destinations: DestinationStore { DestinationStore(client: postgres, logger: logger) }

    /// Reads the environment, connects, runs `body`, disconnects.
    static func run<T: Sendable>(_ body: @Sendable (CommandEnvironment) async throws -> T) async throws -> T {
        let configuration = try AppConfiguration()
        // A command runs a few statements and exits: open connections on demand only.
        var database = configuration.database
        database.minimumConnections = 0
        var quiet = Logger(label: "leadctl")
        quiet.logLevel = .error
        let logger = quiet
        return try await withRunningPostgresClient(database, logger: logger) { client in
            try await body(CommandEnvironment(configuration: configuration, postgres: client, logger: logger))
        }
    }

    /// The tenant id for an optional `--tenant` reference.
    func tenantId(_ reference: String?) async throws -> UUID? {
        guard let reference else { return nil }
        return try await tenants.find(reference).id
    }

    /// The ids of destinations named by id or name within `tenantId`, in order.
    func destinationIds(_ references: [String], tenantId: UUID) async throws -> [UUID] {
        var ids: [UUID] = []
        for reference in references {
            ids.append(try await destinations.find(reference, tenantId: tenantId).id)
        }
        return ids
    }
}

/// Prints `value` as JSON when `json` is set, else the text lines.
func emit(_ value: some Encodable, json: Bool, text: () -> [String]) throws {
    if json {
        try printJSON(value)
    } else {
        for line in text() { print(line) }
    }
}
