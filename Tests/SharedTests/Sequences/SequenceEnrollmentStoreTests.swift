import Foundation
import PostgresNIO
import Shared
import TestSupport
import Testing

@Suite("Sequence enrollments")
struct SequenceEnrollmentStoreTests {
    /// A tenant with one destination, a source delivering to it, a lead, and a sequence of one step
    /// to that destination with `reentry`.
    static func seed(
        _ fixture: OperationsFixture,
        reentry: SequenceReentry
    ) async throws
        -> (tenant: Tenant, destination: Destination, lead: Int64, sequence: FollowUpSequence)
    {
        let tenant = try await fixture.tenant("Enroll \(UUID().uuidString.prefix(6))")
        let destination = try await fixture.destination(tenant, "WhatsApp welcome")
        let source = try await fixture.source(tenant, "Board", destinations: [destination])
        let lead = try await fixture.lead(
            [.firstName: "Dana", .email: "dana-\(UUID().uuidString.prefix(6))@example.com"],
            source: source,
            tenant: tenant
        )
        let json: JSONValue = .object([
            "steps": .array([.object(["destination": "WhatsApp welcome", "after": "24h"])]), "reentry": .string(reentry.rawValue),
        ])
        let definition = try SequenceDefinition(json: json, tenantTimeZone: .gmt, defaultSalesRules: false, destinations: [destination])
        let sequence = try await SequenceStore(client: fixture.client, logger: fixture.logger)
            .create(tenantId: tenant.id, name: "Follow-up", definition: definition, actor: "test")
        return (tenant, destination, lead.id, sequence)
    }

    @Test func aLeadEntersOnceAtATimeAndNeverAgainWhenReentryIsNever() async throws {
        try await OperationsFixture.run { fixture in
            let (_, _, lead, sequence) = try await Self.seed(fixture, reentry: .never)
            let store = SequenceEnrollmentStore(client: fixture.client, logger: fixture.logger)
            guard case .enrolled(let first) = try await store.enroll(leadId: lead, in: sequence, actor: "leadctl:test") else {
                Issue.record("not enrolled")
                return
            }
            #expect(first.status == "active" && first.nextStep == 0 && first.sequenceVersion == 1 && first.nextDueAt == nil)
            #expect(try await store.enroll(leadId: lead, in: sequence, actor: "leadctl:test") == .alreadyActive(first))
            let ended = try await store.unenroll(leadId: lead, from: sequence, reason: "unenrolled by leadctl:test", actor: "leadctl:test")
            #expect(ended?.status == "exited" && ended?.endedAt != nil && ended?.exitReason == "unenrolled by leadctl:test")
            guard case .reentryRefused(let previous) = try await store.enroll(leadId: lead, in: sequence, actor: "leadctl:test") else {
                Issue.record("re-entered although reentry is never")
                return
            }
            #expect(previous.id == first.id)
            let detail = try #require(try await LeadLookup(client: fixture.client, logger: fixture.logger).detail(leadId: lead, tenantId: nil))
            #expect(detail.enrollments.map(\.status) == ["exited"] && detail.enrollments.first?.sequence == "Follow-up")
            #expect(detail.enrollments.first?.exitReason == "unenrolled by leadctl:test")
            #expect(try await store.unenroll(leadId: lead, from: sequence, reason: "again", actor: "test") == nil, "nothing active")
            let snapshot = try await fixture.client.query("SELECT snapshot = (SELECT definition FROM sequences) FROM sequence_enrollments")
                .decode(Bool.self).rows()
            #expect(snapshot == [true], "the enrollment keeps the definition it started with")
        }
    }

    @Test func afterExitALeadMayEnterAgainAndADisabledSequenceTakesNoOne() async throws {
        try await OperationsFixture.run { fixture in
            let (_, _, lead, sequence) = try await Self.seed(fixture, reentry: .afterExit)
            #expect(try sequence.definition().reentry == .afterExit, "a UTC tenant's definition reads back")
            let store = SequenceEnrollmentStore(client: fixture.client, logger: fixture.logger)
            _ = try await store.enroll(leadId: lead, in: sequence, actor: "test")
            _ = try await store.unenroll(leadId: lead, from: sequence, reason: "replied", actor: "test")
            guard case .enrolled = try await store.enroll(leadId: lead, in: sequence, actor: "test") else {
                Issue.record("after_exit refused a second enrollment")
                return
            }
            #expect(try await store.enrollments(leadId: lead).map(\.status) == ["exited", "active"])
            let disabled = try await SequenceStore(client: fixture.client, logger: fixture.logger).update(sequence, enabled: false, actor: "test")
            #expect(try await store.enroll(leadId: lead, in: disabled, actor: "test") == .sequenceDisabled)
        }
    }

    @Test func anotherTenantsLeadCannotBeEnrolled() async throws {
        try await OperationsFixture.run { fixture in
            let (_, _, _, sequence) = try await Self.seed(fixture, reentry: .never)
            let (_, _, otherLead, _) = try await Self.seed(fixture, reentry: .never)
            await #expect(throws: StoreError.self) {
                try await SequenceEnrollmentStore(client: fixture.client, logger: fixture.logger).enroll(
                    leadId: otherLead,
                    in: sequence,
                    actor: "test"
                )
            }
        }
    }

    @Test func aLeadHasOneFanOutDeliveryPerDestinationButOneDeliveryPerStep() async throws {
        try await OperationsFixture.run { fixture in
            let (tenant, destination, lead, sequence) = try await Self.seed(fixture, reentry: .never)
            guard
                case .enrolled(let enrollment) = try await SequenceEnrollmentStore(client: fixture.client, logger: fixture.logger)
                    .enroll(leadId: lead, in: sequence, actor: "test")
            else {
                Issue.record("not enrolled")
                return
            }
            func insert(enrollment: Int64?, step: Int?) async throws {
                try await fixture.client.query(
                    """
                    INSERT INTO deliveries (tenant_id, lead_id, destination_id, status, enrollment_id, step_index)
                    VALUES (\(tenant.id), \(lead), \(destination.id), 'queued', \(enrollment), \(step))
                    """
                )
            }
            await #expect(throws: PSQLError.self, "the fan-out delivery exists already") { try await insert(enrollment: nil, step: nil) }
            try await insert(enrollment: enrollment.id, step: 0)
            try await insert(enrollment: enrollment.id, step: 1)
            await #expect(throws: PSQLError.self, "one delivery per enrollment and step") { try await insert(enrollment: enrollment.id, step: 1) }
            await #expect(throws: PSQLError.self, "a step needs its enrollment and the reverse") {
                try await insert(enrollment: enrollment.id, step: nil)
            }
            #expect(try await fixture.client.query("SELECT count(*)::int FROM deliveries WHERE lead_id = \(lead)").decode(Int.self).rows() == [3])
        }
    }
}
