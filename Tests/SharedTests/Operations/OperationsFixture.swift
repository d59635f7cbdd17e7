import Foundation
import PostgresNIO
import Shared
import TestSupport

/// A private migrated database with helpers to seed tenants, sources, destinations, leads,
/// delivery outcomes and attempts for the operations suites.
struct OperationsFixture: Sendable {
    let client: PostgresClient
    let logger = TestEnvironment.logger
    let secretBox = try! SecretBox(currentKey: TestEnvironment.secretKey)

    static func run(_ body: @escaping @Sendable (OperationsFixture) async throws -> Void) async throws {
        try await TestDatabase.withDatabase { database in
            try await database.withClient { client in try await body(OperationsFixture(client: client)) }
        }
    }

    func tenant(_ name: String, region: String = "US", notificationEmail: String? = nil) async throws -> Tenant {
        try await TenantStore(client: client, logger: logger).create(name: name, defaultRegion: region, notificationEmail: notificationEmail)
    }

    /// A destination with credential `secret` (none when nil).
    func destination(
        _ tenant: Tenant,
        _ name: String,
        kind: DestinationKind = .http,
        config: [String: JSONValue] = [:],
        baseURL: String? = nil,
        secret: String? = "token-123",
        dryRun: Bool = false,
        customize: (inout Destination) -> Void = { _ in }
    ) async throws -> Destination {
        var destination = Destination.withDefaults(tenantId: tenant.id, name: name, kind: kind, config: config, baseURL: baseURL, dryRun: dryRun)
        customize(&destination)
        return try await DestinationStore(client: client, logger: logger)
            .create(destination, sealedSecret: try secret.map { try secretBox.seal($0) })
    }

    func source(
        _ tenant: Tenant,
        _ name: String,
        kind: SourceKind = .api,
        destinations: [Destination] = [],
        notificationEmail: String? = nil
    ) async throws -> Source {
        let store = SourceStore(client: client, logger: logger)
        var source = try await store.create(tenantId: tenant.id, name: name, kind: kind, destinationIds: destinations.map(\.id))
        if let notificationEmail {
            source.notificationEmail = notificationEmail
            source = try await store.update(source)
        }
        return source
    }

    /// Stores one lead the way the API does; returns its id and its deliveries' ids (by destination name order).
    @discardableResult
    func lead(
        _ fields: [LeadField: String],
        source: Source,
        tenant: Tenant,
        extra: [String: JSONValue] = [:],
        raw: JSONValue? = nil,
        spam: Bool = false
    ) async throws -> (id: Int64, deliveries: [Int64]) {
        let input = LeadInput(fields: fields, extra: extra, raw: raw)
        guard case .success(let lead) = LeadNormalizer(defaultRegion: tenant.defaultRegion).normalize(input) else {
            throw FixtureError(description: "lead \(fields) does not normalize")
        }
        let result = try await client.withTransaction(logger: logger) { connection in
            try await LeadWriter(logger: logger).write(
                [lead],
                origin: LeadBatchOrigin(tenantId: tenant.id, sourceId: source.id, channel: source.kind, isSpam: spam),
                on: connection
            )
        }
        guard case .accepted(let id)? = result.outcomes.first else { throw FixtureError(description: "lead was a duplicate") }
        var deliveries: [Int64] = []
        for try await deliveryId in try await client.query(
            """
            SELECT d.id FROM deliveries d JOIN destinations dest ON dest.id = d.destination_id WHERE d.lead_id = \(id) ORDER BY dest.name
            """,
            logger: logger
        ).decode(Int64.self) {
            deliveries.append(deliveryId)
        }
        return (id, deliveries)
    }

    /// Sets a delivery's outcome as the worker would.
    func finish(
        _ deliveryId: Int64,
        status: String,
        attempts: Int = 1,
        externalId: String? = nil,
        httpStatus: Int? = nil,
        errorClass: String? = nil,
        error: String? = nil
    ) async throws {
        try await client.execute(
            """
            UPDATE deliveries SET status = \(status), attempts = \(attempts), external_id = \(externalId),
                   last_http_status = \(httpStatus), last_error_class = \(errorClass), last_error = \(error),
                   finished_at = CASE WHEN \(status) IN ('succeeded', 'dead') THEN now() END,
                   next_attempt_at = CASE WHEN \(status) = 'retrying' THEN now() + interval '1 minute' END, updated_at = now()
            WHERE id = \(deliveryId)
            """,
            logger: logger
        )
    }

    /// Records one attempt of a delivery.
    func attempt(
        _ deliveryId: Int64,
        number: Int,
        outcome: String,
        httpStatus: Int? = nil,
        errorClass: String? = nil,
        message: String? = nil,
        excerpt: String? = nil,
        startedAt: Date = Date(),
        durationMilliseconds: Int = 42
    ) async throws {
        try await client.execute(
            """
            INSERT INTO delivery_attempts (delivery_id, attempt, worker_id, started_at, duration_ms, outcome, http_status,
                                           error_class, error_message, response_excerpt)
            VALUES (\(deliveryId), \(number), 'worker-1', \(startedAt), \(durationMilliseconds), \(outcome), \(httpStatus),
                    \(errorClass), \(message), \(excerpt))
            """,
            logger: logger
        )
    }

    /// Moves a lead's `received_at` (and its deliveries' `updated_at`) into the past.
    func age(leadId: Int64, by interval: TimeInterval) async throws {
        let seconds = Int(interval)
        try await client.execute(
            "UPDATE leads SET received_at = received_at - make_interval(secs => \(seconds)) WHERE id = \(leadId)",
            logger: logger
        )
        try await client.execute(
            "UPDATE deliveries SET updated_at = updated_at - make_interval(secs => \(seconds)) WHERE lead_id = \(leadId)",
            logger: logger
        )
    }

    /// The integers a query returns.
    func integers(_ query: PostgresQuery) async throws -> [Int64] {
        var values: [Int64] = []
        for try await value in try await client.query(query, logger: logger).decode(Int64.self) { values.append(value) }
        return values
    }

    /// The strings a query returns.
    func strings(_ query: PostgresQuery) async throws -> [String] {
        var values: [String] = []
        for try await value in try await client.query(query, logger: logger).decode(String.self) { values.append(value) }
        return values
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
}
