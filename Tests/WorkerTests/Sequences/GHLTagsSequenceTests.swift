import Foundation
import PostgresNIO
import Shared
import TestSupport
import Testing
import WorkerApp

/// A sequence step that tags the lead's GoHighLevel contact, through real workers and the
/// sequence engine, against a GoHighLevel stand-in that checks requests against the spec.
@Suite("Sequence step: GoHighLevel tags")
struct GHLTagsSequenceTests {
    @Test func aOneStepSequenceTagsTheContactOnceAndCompletes() async throws {
        try await CRMStandIn.withRunning(validator: try GHLOpenAPIValidator.standard()) { crm in
            crm.respond { request in
                switch request.path {
                case "/contacts/upsert": .ghlUpsert(contactId: "c-7")
                case "/contacts/c-7/tags": .json(201, #"{"tags":["leadrelay-step-1"]}"#)
                default: nil
                }
            }
            try await WorkerTestHarness.run { harness in
                let config: [String: JSONValue] = ["locationId": "loc-1", "tags": ["leadrelay-step-1"]]
                let (tagging, _) = try await harness.destination(.ghlTags, baseURL: crm.baseURL, config: config) { $0.name = "GHL tag" }
                let sequence = try await harness.createSequence(
                    try JSONValue.parse(#"{"time_zone": "UTC", "steps": [{"destination": "GHL tag"}]}"#),
                    name: "Tag",
                    destinations: [tagging]
                )
                let source = try await harness.newSource(entering: sequence)

                try await harness.ingest([LeadInput(fields: [.firstName: "Dana", .email: "dana@example.com"])], source: source)
                try await harness.withWorkers { _ in
                    try await harness.waitForStatuses { $0["succeeded"] == 1 }
                    try await harness.waitForEnrollments { $0 == ["completed": 1] }
                }

                #expect(crm.requests.map(\.path) == ["/contacts/upsert", "/contacts/c-7/tags"])
                #expect(crm.requests.allSatisfy { $0.violations.isEmpty }, "\(crm.requests.flatMap(\.violations))")
                #expect(crm.requests.last?.jsonObject == ["tags": ["leadrelay-step-1"]])
                let steps = try await harness.stores.postgres.query(
                    "SELECT status, external_id, step_index::int FROM deliveries WHERE enrollment_id IS NOT NULL"
                ).decode((String, String?, Int).self).rows()
                #expect(steps.count == 1)
                #expect(steps.first?.0 == "succeeded" && steps.first?.1 == "c-7" && steps.first?.2 == 0)
                let enrollment = try await harness.stores.postgres.query("SELECT status, next_step FROM sequence_enrollments")
                    .decode((String, Int).self).rows()
                #expect(enrollment.first?.0 == "completed" && enrollment.first?.1 == 1)
            }
        }
    }
}
