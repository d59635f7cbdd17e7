import Foundation
import Logging
import PostgresNIO

/// "Send test lead": a made-up lead written through the normal write path (``LeadWriter``) into
/// the tenant's "Dashboard test leads" source, linked to exactly the destination under test, so
/// the worker delivers it like any lead and records every attempt on the lead's timeline. The
/// web process never calls a CRM itself and nothing blocks while the worker works.
public struct DestinationTestLead: Sendable {
    /// The name of the per-tenant source test leads arrive through (kind `api`, created on first use).
    public static let sourceName = "Dashboard test leads"
    /// The config key marking that source as the dashboard's own.
    public static let marker = "dashboard_test_leads"

    let postgres: PostgresClient
    let logger: Logger

    /// Test leads in `postgres`' database.
    public init(postgres: PostgresClient, logger: Logger) {
        self.postgres = postgres
        self.logger = logger
    }

    /// The stored test lead and the delivery created for it (submit it to the queue after this returns).
    public struct Sent: Sendable {
        public var leadId: Int64
        public var deliveryIds: [Int64]
        public var email: String
    }

    /// Writes a test lead for `destination` (which must be enabled) in its tenant's `region`.
    public func send(to destination: Destination, region: String, requestedBy actor: String, at date: Date = Date()) async throws -> Sent {
        guard destination.enabled else {
            throw StoreError.conflict("this destination is disabled; enable it before sending a test lead")
        }
        let sources = SourceStore(client: postgres, logger: logger)
        // The tenant's default API source must exist first, so the test source never becomes the default.
        _ = try await sources.defaultAPISource(tenantId: destination.tenantId)
        let source = try await testSource(sources, tenantId: destination.tenantId)
        let stamp = Int64(date.timeIntervalSince1970 * 1000)
        let email = "leadrelay-test+\(stamp)@example.com"
        let input = LeadInput(object: [
            "first_name": "Test", "last_name": .string("Lead \(stamp % 100_000)"), "email": .string(email), "phone": "+12015550123",
            "notes": .string("Test lead sent from the LeadRelay dashboard by \(actor)"), "leadrelay_test": .bool(true),
        ])
        let lead: NormalizedLead
        switch LeadBatch([input], region: region).items.first {
        case .valid(let normalized)?: lead = normalized
        case .invalid(let issues)?: throw StoreError.invalid(field: "lead", message: "\(issues)")
        case nil: throw StoreError.invalid(field: "lead", message: "the test lead was not normalized")
        }
        let origin = LeadBatchOrigin(tenantId: destination.tenantId, sourceId: source.id, channel: .api)
        let (sourceId, destinationId, tenantId, logger) = (source.id, destination.id, destination.tenantId, logger)
        let result = try await postgres.withTransactionRetryingConflicts(logger: logger) { connection in
            // The row lock serializes concurrent tests, so each lead fans out to its own destination only.
            try await connection.execute("SELECT id FROM sources WHERE id = \(sourceId) FOR UPDATE", logger: logger)
            try await connection.execute(
                """
                DELETE FROM source_destinations WHERE source_id = \(sourceId) AND destination_id <> \(destinationId)
                """,
                logger: logger
            )
            try await connection.execute(
                """
                INSERT INTO source_destinations (tenant_id, source_id, destination_id) VALUES (\(tenantId), \(sourceId), \(destinationId))
                ON CONFLICT DO NOTHING
                """,
                logger: logger
            )
            return try await LeadWriter(logger: logger).write([lead], origin: origin, on: connection)
        }
        guard case .accepted(let leadId)? = result.outcomes.first else {
            throw StoreError.conflict("the test lead was not stored (a duplicate); try again")
        }
        return Sent(leadId: leadId, deliveryIds: result.deliveryIds, email: email)
    }

    /// The tenant's test-lead source, created on first use.
    private func testSource(_ sources: SourceStore, tenantId: UUID) async throws -> Source {
        func existing() async throws -> Source? {
            do {
                let source = try await sources.find(Self.sourceName, tenantId: tenantId)
                guard source.config[Self.marker] == .bool(true) else {
                    throw StoreError.conflict("a source named '\(Self.sourceName)' exists that is not the dashboard's; rename it to send test leads")
                }
                return source
            } catch StoreError.notFound {
                return nil
            }
        }
        if let source = try await existing() { return source }
        do {
            return try await sources.create(tenantId: tenantId, name: Self.sourceName, kind: .api, config: [Self.marker: .bool(true)])
        } catch StoreError.conflict {
            guard let source = try await existing() else { throw StoreError.conflict("the test-lead source could not be created") }
            return source
        }
    }
}
