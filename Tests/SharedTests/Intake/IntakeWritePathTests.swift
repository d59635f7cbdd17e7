import Foundation
import PostgresNIO
import Shared
import TestSupport
import Testing

/// The one intake write path (migrations/0007): a batch written inside a caller's transaction
/// (`insert_leads`: CSV imports, test leads, fetched webhooks) and the same batch written as a
/// webhook event through the group commit (`record_intake`) store the same rows and outcomes.
@Suite("Intake write path")
struct IntakeWritePathTests {
    static let logger = TestEnvironment.logger

    /// A tenant with a webhook source feeding two destinations, and one lead known already.
    static func seed(_ fixture: OperationsFixture, name: String) async throws -> (Tenant, Source) {
        let tenant = try await fixture.tenant(name)
        let crm = try await fixture.destination(tenant, "CRM", baseURL: "http://127.0.0.1:9/crm")
        let backup = try await fixture.destination(tenant, "Backup", baseURL: "http://127.0.0.1:9/backup")
        let source = try await fixture.source(tenant, "Hook", destinations: [crm, backup])
        try await fixture.lead([.email: "known@example.com", .firstName: "Known"], source: source, tenant: tenant)
        return (tenant, source)
    }

    /// New, Hebrew, repeated-within-the-batch, known, raw phone only, big-number extra and flagged leads.
    static func batch(region: String) throws -> [NormalizedLead] {
        let inputs: [LeadInput] = [
            LeadInput(object: ["email": "new@example.com", "first_name": "Dana", "phone": "(201) 555-0123", "zip": "07030"]),
            LeadInput(object: ["full_name": "דנה כהן 🙂", "email": "dana@example.co.il", "notes": "line one\r\nline two"]),
            LeadInput(object: ["email": "new@example.com", "first_name": "Dana", "phone": "(201) 555-0123", "zip": "07030"]),
            LeadInput(object: ["email": "KNOWN@example.com", "first_name": "Known"]),
            LeadInput(object: ["phone": "not a phone", "first_name": "Raw"]),
            LeadInput(object: [
                "email": "extra@example.com", "crm_id": .number(try #require(JSONNumber(text: "1231231231231231234"))),
                "tags": ["a", "b"], "external_id": "ext-1",
            ]),
            LeadInput(object: ["email": "broken@", "phone": "+12015550199"]),
        ]
        return try LeadBatch(inputs, region: region).items.map { try #require($0.lead) }
    }

    /// Every stored column of the tenant's leads and deliveries that does not name the tenant, the
    /// source, the event or the time, in insertion order.
    static func storedRows(_ client: PostgresClient, tenantId: UUID) async throws -> [String] {
        var rows: [String] = []
        for try await row in try await client.query(
            """
            SELECT (to_jsonb(l) - 'id' - 'tenant_id' - 'source_id' - 'inbound_event_id' - 'received_at')::text
                || ' deliveries: ' || coalesce((
                    SELECT string_agg(dest.name || '/' || d.status || '/' || d.attempts, ', ' ORDER BY dest.name)
                    FROM deliveries d JOIN destinations dest ON dest.id = d.destination_id WHERE d.lead_id = l.id), 'none')
            FROM leads l WHERE l.tenant_id = \(tenantId) ORDER BY l.id
            """,
            logger: logger
        ).decode(String.self) {
            rows.append(row)
        }
        return rows
    }

    static func count(_ client: PostgresClient, _ query: PostgresQuery) async throws -> Int {
        for try await value in try await client.query(query, logger: logger).decode(Int.self) { return value }
        return 0
    }

    static func kinds(_ outcomes: [LeadWriteOutcome]) -> [String] {
        outcomes.map { if case .accepted = $0 { "accepted" } else { "duplicate" } }
    }

    @Test func theSameBatchThroughBothEntryPointsStoresTheSameColumnsAndOutcomes() async throws {
        try await OperationsFixture.run { fixture in
            let client = fixture.client
            let (tenantA, sourceA) = try await Self.seed(fixture, name: "Through insert_leads")
            let (tenantB, sourceB) = try await Self.seed(fixture, name: "Through record_intake")
            let leads = try Self.batch(region: "US")

            // A: inside a transaction, as a fetched webhook event's leads are written.
            let eventA = try #require(
                try await InboundEventStore(client: client, logger: Self.logger).record(
                    .init(
                        tenantId: tenantA.id,
                        sourceId: sourceA.id,
                        method: "POST",
                        contentType: "application/json",
                        headers: [:],
                        body: [],
                        outcome: "pending_fetch"
                    )
                )
            )
            let originA = LeadBatchOrigin(tenantId: tenantA.id, sourceId: sourceA.id, channel: .webhook, inboundEventId: eventA)
            let writtenA = try await client.withTransaction(logger: Self.logger) { connection in
                try await LeadWriter(logger: Self.logger).write(leads, origin: originA, on: connection)
            }

            // B: a webhook event recorded with its leads by the group commit's procedure.
            let originB = LeadBatchOrigin(tenantId: tenantB.id, sourceId: sourceB.id, channel: .webhook)
            let event = InboundEventStore.NewEvent(
                tenantId: tenantB.id,
                sourceId: sourceB.id,
                method: "POST",
                contentType: "application/json",
                headers: ["x-test": "1"],
                body: Array("{}".utf8),
                outcome: "accepted"
            )
            let resultB = try await LeadIntake(postgres: client, logger: Self.logger).write(
                IntakeWrite(
                    origin: originB,
                    leads: leads,
                    event: WebhookEventWrite(event: event, reason: nil, sourceRevision: nil, tenantRegion: "US")
                )
            )
            guard case .written(let eventB?, let outcomesB, let deliveriesB) = resultB else {
                Issue.record("record_intake did not write: \(resultB)")
                return
            }

            #expect(Self.kinds(writtenA.outcomes) == ["accepted", "accepted", "duplicate", "duplicate", "accepted", "accepted", "accepted"])
            #expect(Self.kinds(outcomesB) == Self.kinds(writtenA.outcomes))
            #expect(deliveriesB.count == writtenA.deliveryIds.count && deliveriesB.count == 10)
            let rowsA = try await Self.storedRows(client, tenantId: tenantA.id)
            let rowsB = try await Self.storedRows(client, tenantId: tenantB.id)
            #expect(rowsA.count == 6)
            #expect(rowsA == rowsB)
            #expect(try await Self.count(client, "SELECT count(*)::int FROM leads WHERE inbound_event_id = \(eventB)") == 5)
            let settled = try await client.query(
                "SELECT outcome, cardinality(lead_ids) FROM inbound_events WHERE id = \(eventB)",
                logger: Self.logger
            ).decode((String, Int).self)
            for try await (outcome, leadCount) in settled {
                #expect(outcome == "accepted" && leadCount == leads.count)
            }
        }
    }
}
