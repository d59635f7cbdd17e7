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

    /// A step a check put off (closed window, sales cap) is shown at its new time, while the
    /// enrollment keeps the scheduled one that expiry counts from.
    @Test func aStepPutOffByACheckShowsItsNewTime() async throws {
        try await OperationsFixture.run { fixture in
            let (tenant, destination, lead, sequence) = try await Self.seed(fixture, reentry: .never)
            let store = SequenceEnrollmentStore(client: fixture.client, logger: fixture.logger)
            guard case .enrolled(let enrollment) = try await store.enroll(leadId: lead, in: sequence, actor: "test") else {
                Issue.record("not enrolled")
                return
            }
            let scheduled = Date(timeIntervalSince1970: 1_750_000_000)
            let putOff = scheduled.addingTimeInterval(3 * 3_600)
            try await fixture.client.execute(
                "UPDATE sequence_enrollments SET next_due_at = \(scheduled), needs_schedule = false WHERE id = \(enrollment.id)",
                logger: fixture.logger
            )
            try await fixture.client.execute(
                """
                INSERT INTO deliveries (tenant_id, lead_id, destination_id, status, next_attempt_at, enrollment_id, step_index)
                VALUES (\(tenant.id), \(lead), \(destination.id), 'retrying', \(putOff), \(enrollment.id), 0)
                """,
                logger: fixture.logger
            )
            #expect(try await store.enrollments(leadId: lead).map(\.nextDueAt) == [putOff])
            let detail = try #require(try await LeadLookup(client: fixture.client, logger: fixture.logger).detail(leadId: lead, tenantId: nil))
            #expect(detail.enrollments.map(\.nextDueAt) == [putOff])
            #expect(detail.enrollments.first?.nextDueLocal == "2025-06-15 18:06 +00:00 GMT")
            let stored = try await fixture.client.query("SELECT next_due_at FROM sequence_enrollments").decode(Date.self).rows()
            #expect(stored == [scheduled], "expiry still counts from the scheduled time")
        }
    }

    /// Editing a sequence while a lead runs it changes nothing for that lead: its enrollment keeps
    /// the version and snapshot it started with; a lead entering after the edit gets the new one.
    @Test func anEditDoesNotChangeAnEnrollmentInFlight() async throws {
        try await OperationsFixture.run { fixture in
            let (_, destination, lead, sequence) = try await Self.seed(fixture, reentry: .afterExit)
            let store = SequenceEnrollmentStore(client: fixture.client, logger: fixture.logger)
            _ = try await store.enroll(leadId: lead, in: sequence, actor: "test")
            let edited = try SequenceDefinition(
                json: .object([
                    "steps": .array([.object(["destination": "WhatsApp welcome", "after": "48h"])]), "reentry": "after_exit",
                ]),
                tenantTimeZone: .gmt,
                defaultSalesRules: false,
                destinations: [destination]
            )
            let updated = try await SequenceStore(client: fixture.client, logger: fixture.logger).update(sequence, definition: edited, actor: "test")
            #expect(updated.version == 2)
            let running = try await fixture.client.query(
                "SELECT sequence_version, snapshot::text FROM sequence_enrollments WHERE status = 'active'"
            ).decode((Int, String).self).rows()
            #expect(running.map(\.0) == [1])
            let snapshot = try SequenceDefinition(storedText: try #require(running.first?.1))
            #expect(snapshot.steps.first?.delay == .elapsed(seconds: 24 * 3_600), "the run in flight keeps its 24 h")
            _ = try await store.unenroll(leadId: lead, from: updated, reason: "test", actor: "test")
            guard case .enrolled(let again) = try await store.enroll(leadId: lead, in: updated, actor: "test") else {
                Issue.record("not enrolled again")
                return
            }
            #expect(again.sequenceVersion == 2)
            let newSnapshot = try await fixture.client.query(
                "SELECT snapshot::text FROM sequence_enrollments WHERE id = \(again.id)"
            ).decode(String.self).rows()
            #expect(try SequenceDefinition(storedText: try #require(newSnapshot.first)).steps.first?.delay == .elapsed(seconds: 48 * 3_600))
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
