import Foundation
import PostgresNIO
import Shared
import TestSupport
import Testing

/// The engine's rules that live in PostgreSQL (migration 0019): a source's new leads enter its
/// sequence on every intake path; a reply, an opt-out, an operator's stage change or the goal
/// stage end an enrollment, and an ended enrollment skips its steps not yet sent.
@Suite("Sequence triggers")
struct SequenceTriggerTests {
    struct Seeded {
        var tenant: Tenant
        var source: Source
        var destination: Destination
        var sequence: FollowUpSequence
    }

    /// A tenant whose source feeds a two-step sequence (`extra` merged into its definition).
    static func seed(_ fixture: OperationsFixture, extra: [String: JSONValue] = [:]) async throws -> Seeded {
        let tenant = try await fixture.tenant("Triggers \(UUID().uuidString.prefix(6))")
        let destination = try await fixture.destination(tenant, "Follow-up")
        let source = try await fixture.source(tenant, "Board")
        var root: [String: JSONValue] = [
            "steps": .array([.object(["destination": "Follow-up"]), .object(["destination": "Follow-up", "after": "24h"])]),
            "on_reply": .array([.string("Follow-up")]), "goal_stage": .string("appointment_set"),
        ]
        root.merge(extra) { _, new in new }
        let definition = try SequenceDefinition(json: .object(root), tenantTimeZone: .gmt, defaultSalesRules: false, destinations: [destination])
        let store = SequenceStore(client: fixture.client, logger: fixture.logger)
        let sequence = try await store.create(tenantId: tenant.id, name: "Flow", definition: definition, actor: "test")
        try await store.assign(sequence, toSource: source.id, tenantId: tenant.id, actor: "test")
        return Seeded(tenant: tenant, source: source, destination: destination, sequence: sequence)
    }

    static func enrollments(_ fixture: OperationsFixture) async throws -> [(status: String, reason: String?, by: String)] {
        try await fixture.client.query("SELECT status, exit_reason, enrolled_by FROM sequence_enrollments ORDER BY id")
            .decode((String, String?, String).self).rows().map { ($0.0, $0.1, $0.2) }
    }

    static func count(_ fixture: OperationsFixture, _ query: PostgresQuery) async throws -> Int {
        try await fixture.client.query(query).decode(Int.self).rows().first ?? -1
    }

    @Test func newLeadsOfTheSourceEnterItsSequenceButSpamDuplicatesAndADisabledSequenceDoNot() async throws {
        try await OperationsFixture.run { fixture in
            let seeded = try await Self.seed(fixture)
            try await fixture.lead([.firstName: "Dana", .email: "dana@example.com"], source: seeded.source, tenant: seeded.tenant)
            try await fixture.lead([.firstName: "Spam", .email: "spam@example.com"], source: seeded.source, tenant: seeded.tenant, spam: true)
            await #expect(throws: (any Error).self, "a duplicate is not stored") {
                try await fixture.lead([.firstName: "Dana", .email: "dana@example.com"], source: seeded.source, tenant: seeded.tenant)
            }
            let enrolled = try await Self.enrollments(fixture)
            #expect(enrolled.map(\.status) == ["active"] && enrolled.first?.by == "source:Board")
            #expect(
                try await Self.count(
                    fixture,
                    "SELECT count(*)::int FROM sequence_enrollments WHERE needs_schedule AND snapshot = (SELECT definition FROM sequences)"
                )
                    == 1
            )

            _ = try await SequenceStore(client: fixture.client, logger: fixture.logger).update(seeded.sequence, enabled: false, actor: "test")
            try await fixture.lead([.firstName: "Later", .email: "later@example.com"], source: seeded.source, tenant: seeded.tenant)
            #expect(try await Self.enrollments(fixture).count == 1, "a disabled sequence takes no one")
        }
    }

    @Test func aWebhookEventsLeadsEnterTheSequenceThroughTheGroupCommit() async throws {
        try await OperationsFixture.run { fixture in
            let seeded = try await Self.seed(fixture)
            guard case .success(let lead) = LeadNormalizer(defaultRegion: "US").normalize(LeadInput(fields: [.email: "hook@example.com"])) else {
                Issue.record("does not normalize")
                return
            }
            let event = InboundEventStore.NewEvent(
                tenantId: seeded.tenant.id,
                sourceId: seeded.source.id,
                method: "POST",
                contentType: "application/json",
                headers: [:],
                body: Array("{}".utf8),
                outcome: "accepted"
            )
            let origin = LeadBatchOrigin(tenantId: seeded.tenant.id, sourceId: seeded.source.id, channel: .webhook)
            let result = try await LeadIntake(postgres: fixture.client, logger: fixture.logger).write(
                IntakeWrite(
                    origin: origin,
                    leads: [lead],
                    event: WebhookEventWrite(event: event, reason: nil, sourceRevision: nil, tenantRegion: "US")
                )
            )
            guard case .written = result else {
                Issue.record("not written: \(result)")
                return
            }
            #expect(try await Self.enrollments(fixture).map(\.status) == ["active"])
        }
    }

    /// Enrolls one lead and gives its enrollment a scheduled step, as the scheduler would.
    static func enrolledLeadWithAScheduledStep(
        _ fixture: OperationsFixture,
        extra: [String: JSONValue] = [:]
    ) async throws -> (Seeded, Int64) {
        let seeded = try await seed(fixture, extra: extra)
        let lead = try await fixture.lead(
            [.firstName: "Dana", .email: "Dana@Example.com", .phone: "+12015550123"],
            source: seeded.source,
            tenant: seeded.tenant
        )
        try await fixture.client.execute(
            """
            INSERT INTO deliveries (tenant_id, lead_id, destination_id, status, next_attempt_at, enrollment_id, step_index)
            SELECT tenant_id, lead_id, \(seeded.destination.id), 'scheduled', now() + interval '1 day', id, 1 FROM sequence_enrollments
            """,
            logger: fixture.logger
        )
        return (seeded, lead.id)
    }

    @Test func aReplyEndsTheEnrollmentSkipsItsScheduledStepAndQueuesItsReplyActionsOnce() async throws {
        try await OperationsFixture.run { fixture in
            let (_, lead) = try await Self.enrolledLeadWithAScheduledStep(fixture)
            try await fixture.client.execute("UPDATE leads SET last_reply_at = now() WHERE id = \(lead)", logger: fixture.logger)
            #expect(try await Self.enrollments(fixture).map { "\($0.status) \($0.reason ?? "")" } == ["exited replied"])
            #expect(try await Self.count(fixture, "SELECT count(*)::int FROM sequence_enrollments WHERE reply_actions_pending") == 1)
            let skipped = try await fixture.client.query("SELECT status, last_error_class, last_error FROM deliveries WHERE step_index = 1")
                .decode((String, String?, String?).self).rows()
            #expect(skipped.first?.0 == "skipped" && skipped.first?.1 == "sequence_ended")
            #expect(skipped.first?.2 == "not sent: the sequence enrollment ended (exited: replied)")
            // A second reply changes nothing more.
            try await fixture.client.execute("UPDATE sequence_enrollments SET reply_actions_pending = false", logger: fixture.logger)
            try await fixture.client.execute(
                "UPDATE leads SET last_reply_at = now() + interval '1 minute' WHERE id = \(lead)",
                logger: fixture.logger
            )
            #expect(try await Self.count(fixture, "SELECT count(*)::int FROM sequence_enrollments WHERE reply_actions_pending") == 0)
        }
    }

    @Test func aReplyThatDoesNotEndTheSequenceStillRunsItsReplyActions() async throws {
        try await OperationsFixture.run { fixture in
            let (_, lead) = try await Self.enrolledLeadWithAScheduledStep(fixture, extra: ["exit_on": .array([.string("opt_out")])])
            try await fixture.client.execute("UPDATE leads SET last_reply_at = now() WHERE id = \(lead)", logger: fixture.logger)
            #expect(try await Self.enrollments(fixture).map(\.status) == ["active"])
            #expect(
                try await Self.count(fixture, "SELECT count(*)::int FROM sequence_enrollments WHERE reply_actions_pending AND replied_at IS NOT NULL")
                    == 1
            )
            #expect(try await Self.count(fixture, "SELECT count(*)::int FROM deliveries WHERE status = 'scheduled'") == 1)
        }
    }

    @Test(arguments: ["sms", "whatsapp", "email"])
    func anOptOutOnAnyChannelEndsTheEnrollment(channel: String) async throws {
        try await OperationsFixture.run { fixture in
            let (seeded, _) = try await Self.enrolledLeadWithAScheduledStep(fixture)
            let address = channel == "email" ? "dana@example.com" : "+12015550123"
            try await fixture.client.execute(
                """
                INSERT INTO opt_outs (tenant_id, channel, address, cause, actor) VALUES (\(seeded.tenant.id), \(channel), \(address), 'keyword', 'test')
                """,
                logger: fixture.logger
            )
            #expect(try await Self.enrollments(fixture).map { "\($0.status) \($0.reason ?? "")" } == ["exited opted_out"])
            #expect(try await Self.count(fixture, "SELECT count(*)::int FROM deliveries WHERE status = 'skipped'") == 1)
        }
    }

    @Test func anOperatorsStageChangeExitsAndTheGoalStageCompletes() async throws {
        try await OperationsFixture.run { fixture in
            let (_, lead) = try await Self.enrolledLeadWithAScheduledStep(fixture)
            // An automatic move (a message accepted) is not an operator's.
            try await fixture.client.execute(
                "SELECT move_lead_stage(\(lead), 'contacted', 'message_accepted', 'worker', NULL)",
                logger: fixture.logger
            )
            #expect(try await Self.enrollments(fixture).map(\.status) == ["active"])
            try await fixture.client.execute(
                "SELECT move_lead_stage(\(lead), 'appointment_set', 'operator', 'ana@example.com', NULL)",
                logger: fixture.logger
            )
            #expect(try await Self.enrollments(fixture).map { "\($0.status) \($0.reason ?? "")" } == ["completed goal_reached: appointment_set"])
        }
        try await OperationsFixture.run { fixture in
            let (_, lead) = try await Self.enrolledLeadWithAScheduledStep(fixture)
            try await fixture.client.execute(
                "SELECT move_lead_stage(\(lead), 'qualified', 'operator', 'ana@example.com', NULL)",
                logger: fixture.logger
            )
            let ended = try await Self.enrollments(fixture)
            #expect(ended.map(\.status) == ["exited"])
            #expect(ended.first?.reason == "stage_changed: new → qualified by ana@example.com")
        }
    }
}
