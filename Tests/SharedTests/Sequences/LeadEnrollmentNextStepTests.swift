import Foundation
import PostgresNIO
import Shared
import TestSupport
import Testing

@Suite("A lead's enrollment shows its next step")
struct LeadEnrollmentNextStepTests {
    @Test func theNextStepShowsInUTCAndLocalTimeWithTheWindowApplied() async throws {
        try await OperationsFixture.run { fixture in
            let seeded = try await SequenceTriggerTests.seed(
                fixture,
                extra: ["time_zone": "Asia/Jerusalem", "window": .object(["start": "08:00", "end": "21:00"])]
            )
            let lead = try await fixture.lead([.firstName: "Dana", .phone: "+972501234567"], source: seeded.source, tenant: seeded.tenant)
            try await fixture.client.execute(
                "UPDATE sequence_enrollments SET next_step = 1, next_due_at = '2025-03-29T05:00:00Z', needs_schedule = false",
                logger: fixture.logger
            )
            let detail = try #require(try await LeadLookup(client: fixture.client, logger: fixture.logger).detail(leadId: lead.id, tenantId: nil))
            let enrollment = try #require(detail.enrollments.first)
            #expect(enrollment.nextStepDestination == "Follow-up")
            #expect(enrollment.nextDueLocal == "2025-03-29 08:00 +03:00 Asia/Jerusalem")
            #expect(enrollment.nextStepWindow == "08:00–21:00 every day Asia/Jerusalem")

            try await fixture.client.execute("UPDATE sequence_enrollments SET status = 'exited', ended_at = now()", logger: fixture.logger)
            let ended = try #require(try await LeadLookup(client: fixture.client, logger: fixture.logger).detail(leadId: lead.id, tenantId: nil))
            #expect(ended.enrollments.first?.nextDueLocal == nil, "an ended enrollment has no next step")
        }
    }
}
