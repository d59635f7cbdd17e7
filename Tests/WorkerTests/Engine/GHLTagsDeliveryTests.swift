import Foundation
import PostgresNIO
import Shared
import TestSupport
import Testing
import WorkerApp

/// `ghl_tags` through real workers against a GoHighLevel stand-in that checks every request
/// against the published contacts spec: the upsert finds the contact, the tags call adds to it.
@Suite("GoHighLevel tags deliveries")
struct GHLTagsDeliveryTests {
    static let hebrewTag = "נשלחה הודעה"
    static let config: [String: JSONValue] = ["locationId": .string("loc-1"), "tags": .array([.string(hebrewTag), .string("leadrelay-welcome")])]
    static let lead = LeadInput(fields: [.firstName: "משה", .email: "moshe@example.com", .phone: "+972501234567"])

    /// Answers the upsert with contact `c-1` and the tags call with `tagsAnswer`.
    static func script(_ crm: CRMStandIn, tagsAnswer: StandInAnswer) {
        crm.respond { request in
            switch request.path {
            case "/contacts/upsert": .ghlUpsert(contactId: "c-1", new: false)
            case "/contacts/c-1/tags": tagsAnswer
            default: nil
            }
        }
    }

    @Test func aHebrewTagReachesTheContactByteForByte() async throws {
        try await CRMStandIn.withRunning(validator: try GHLOpenAPIValidator.standard()) { crm in
            Self.script(crm, tagsAnswer: .json(201, #"{"tags":["\#(Self.hebrewTag)","leadrelay-welcome","vip"]}"#))
            try await WorkerTestHarness.run { harness in
                let (_, source) = try await harness.destination(.ghlTags, baseURL: crm.baseURL, config: Self.config)
                try await harness.ingest([Self.lead], source: source)
                let counts = try await harness.withWorkers { _ in try await harness.waitForStatuses { $0["succeeded"] == 1 } }
                #expect(counts == ["succeeded": 1])

                #expect(crm.requests.map(\.path) == ["/contacts/upsert", "/contacts/c-1/tags"])
                #expect(crm.requests.allSatisfy { $0.violations.isEmpty }, "\(crm.requests.flatMap(\.violations))")
                let upsert = try #require(crm.requests.first?.jsonObject)
                #expect(upsert == ["locationId": "loc-1", "email": "moshe@example.com", "phone": "+972501234567"])
                let tags = try #require(crm.requests.last)
                #expect(tags.header("Authorization") == "Bearer token-123" && tags.header("Version") == "2021-07-28")
                let sent = try #require(tags.jsonObject?["tags"])
                #expect(sent == .array([.string(Self.hebrewTag), .string("leadrelay-welcome")]))
                #expect(tags.bodyText.contains(Self.hebrewTag), "UTF-8, not \\u escapes")

                let rows = try await harness.stores.postgres.query(
                    """
                    SELECT d.external_id, a.outcome, a.http_status, coalesce(a.response_excerpt, '') FROM deliveries d
                    JOIN delivery_attempts a ON a.delivery_id = d.id
                    """
                ).decode((String?, String, Int?, String).self).rows()
                #expect(rows.count == 1, "two calls, one attempt")
                #expect(rows.first?.0 == "c-1", "the contact id is the external id")
                #expect(rows.first?.1 == "succeeded" && rows.first?.2 == 201)
                #expect(rows.first?.3.contains(Self.hebrewTag) == true, "GoHighLevel's answer kept with the Hebrew tag intact")
            }
        }
    }

    @Test func aContactGoneBeforeItsTagsFailsPermanentlyAsAnInvalidLead() async throws {
        try await CRMStandIn.withRunning(validator: try GHLOpenAPIValidator.standard()) { crm in
            Self.script(crm, tagsAnswer: .json(404, #"{"statusCode":404,"message":"Contact not found"}"#))
            try await WorkerTestHarness.run { harness in
                let (_, source) = try await harness.destination(.ghlTags, baseURL: crm.baseURL, config: Self.config)
                try await harness.ingest([Self.lead], source: source)
                let counts = try await harness.withWorkers { _ in try await harness.waitForStatuses { $0["dead"] == 1 } }
                #expect(counts == ["dead": 1])
                #expect(crm.requests.map(\.path) == ["/contacts/upsert", "/contacts/c-1/tags"], "not retried")
                let rows = try await harness.stores.postgres.query(
                    "SELECT last_error_class, last_error, attempts FROM deliveries"
                ).decode((String?, String?, Int).self).rows()
                #expect(rows.first?.0 == "invalid_lead")
                #expect(rows.first?.1?.hasPrefix("GoHighLevel has no such contact") == true)
                #expect(rows.first?.2 == 1)
            }
        }
    }

    @Test func aRateLimitedUpsertIsRetriedAfterTheWaitItAskedForAndTheTagsFollow() async throws {
        try await CRMStandIn.withRunning(validator: try GHLOpenAPIValidator.standard()) { crm in
            crm.respond { request in request.path == "/contacts/c-1/tags" ? .json(201, #"{"tags":["leadrelay-welcome"]}"#) : nil }
            crm.enqueue(.rateLimited(retryAfter: "2"), .ghlUpsert(contactId: "c-1"))
            try await WorkerTestHarness.run { harness in
                let (_, source) = try await harness.destination(.ghlTags, baseURL: crm.baseURL, config: Self.config) {
                    $0.retryScheduleSeconds = [1]
                }
                try await harness.ingest([Self.lead], source: source)
                let counts = try await harness.withWorkers { _ in try await harness.waitForStatuses { $0["succeeded"] == 1 } }
                #expect(counts == ["succeeded": 1])
                #expect(crm.requests.map(\.path) == ["/contacts/upsert", "/contacts/upsert", "/contacts/c-1/tags"])
                let attempts = try await harness.stores.postgres.query(
                    "SELECT outcome, coalesce(error_class, ''), extract(epoch FROM started_at)::float8 FROM delivery_attempts ORDER BY attempt"
                ).decode((String, String, Double).self).rows()
                #expect(attempts.map { "\($0.0) \($0.1)" } == ["retryable rate_limited", "succeeded "])
                if attempts.count == 2 { #expect(attempts[1].2 - attempts[0].2 >= 2, "Retry-After, not the 1 s schedule") }
            }
        }
    }
}
