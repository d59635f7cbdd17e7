import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Redis
import Shared
import TestSupport
import Testing

@Suite("Bulk lead API")
struct BulkLeadsAPITests {
    @Test func acceptsValidItemsRejectsBadOnesAndCreatesDeliveriesAndStreamEntries() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let body = """
                {"leads": [
                  {"first_name": "Ada", "last_name": "Lovelace", "email": "ADA@Example.com", "phone": "(201) 555-0291", "Which location?": "Hoboken"},
                  {"firstName": "Nobody"},
                  {"email": "ada@example.com", "first_name": "ada", "last_name": "lovelace", "phone_number": "+1 201 555 0291"},
                  42,
                  {"Email": "bo@example.com", "phone": "call me"}
                ]}
                """
            let response = try await client.postJSON("/api/leads/bulk", key: tenant.apiKey, body: body)
            #expect(response.status == .accepted)
            let json = response.json
            #expect(json["accepted"] as? Int == 2)
            #expect(json["duplicates"] as? Int == 1)
            #expect(json["rejected"] as? Int == 2)
            let results = try #require(json["results"] as? [[String: Any]])
            #expect(results.map { $0["status"] as? String } == ["accepted", "rejected", "duplicate", "rejected", "accepted"])
            #expect(results[2]["lead_id"] as? Int == results[0]["lead_id"] as? Int, "the duplicate names the existing lead")
            let errors = try #require(results[1]["errors"] as? [[String: String]])
            #expect(errors == [["field": "email", "message": "a lead needs an email or a phone number"]])
            #expect((results[3]["errors"] as? [[String: String]])?.first?["field"] == "lead")
            #expect((results[4]["warnings"] as? [[String: String]])?.first?["field"] == "phone")

            let deliveries = try await stores.postgres.query("SELECT count(*)::int FROM deliveries").decode(Int.self)
            for try await count in deliveries { #expect(count == 4, "2 new leads × 2 destinations") }
            let lead = try await stores.postgres.query(
                "SELECT email, phone, extra::text FROM leads WHERE first_name = 'Ada'"
            ).decode((String, String, String).self)
            for try await (email, phone, extra) in lead {
                #expect(email == "ADA@example.com")
                #expect(phone == "+12015550291")
                #expect(extra.contains("Hoboken"))
            }
            // The enqueuer runs after the answer: wait briefly for the stream to fill.
            var length = 0
            for _ in 0..<50 {
                length = try await stores.redis.send(["XLEN", RedisArgument(stores.redisKeys.deliveryStream)]).int ?? 0
                if length == 4 { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(length == 4)
        }
    }

    @Test func idempotencyKeyReplaysTheFirstAnswerAndRefusesADifferentBody() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let body = #"[{"email": "one@example.com"}, {"email": "two@example.com"}]"#
            let headers: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "batch-1"]
            let first = try await client.postJSON("/api/leads/bulk", key: tenant.apiKey, body: body, headers: headers)
            let second = try await client.postJSON("/api/leads/bulk", key: tenant.apiKey, body: body, headers: headers)
            #expect(first.status == .accepted)
            #expect(second.status == .accepted)
            #expect(second.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            #expect(Data(first.body.readableBytesView) == Data(second.body.readableBytesView))
            let other = try await client.postJSON("/api/leads/bulk", key: tenant.apiKey, body: #"[{"email": "three@example.com"}]"#, headers: headers)
            #expect(other.status == .unprocessableContent)
            let leads = try await stores.postgres.query("SELECT count(*)::int FROM leads").decode(Int.self)
            for try await count in leads { #expect(count == 2, "the replay wrote nothing") }
        }
    }

    @Test func aKeyOfOneTenantCannotReachAnotherTenantsSource() async throws {
        try await IngestAPITestHarness.run { client, first, second, stores in
            let response = try await client.postJSON(
                "/api/leads/bulk?source=\(second.source.id.uuidString)",
                key: first.apiKey,
                body: #"[{"email": "x@example.com"}]"#
            )
            #expect(response.status == .notFound)
            let leads = try await stores.postgres.query("SELECT count(*)::int FROM leads").decode(Int.self)
            for try await count in leads { #expect(count == 0) }
        }
    }

    @Test(arguments: [
        (nil as String?, "application/json", "[]", HTTPResponse.Status.unauthorized, "unauthorized"),
        ("lr_00000000_00000000000000000000000000000000", "application/json", "[]", .unauthorized, "unauthorized"),
        ("KEY", "text/plain", "[]", .unsupportedMediaType, "unsupported_media_type"),
        ("KEY", "application/json", #"[{"email": "#, .badRequest, "malformed_json"),
        ("KEY", "application/json", "[]", .unprocessableContent, "no_leads"),
        ("KEY", "application/json", #"{"nope": 1}"#, .unprocessableContent, "invalid_body"),
    ])
    func answersBadRequestsWithAClearError(key: String?, contentType: String, body: String, status: HTTPResponse.Status, code: String) async throws {
        try await IngestAPITestHarness.run { client, tenant, _, _ in
            var headers: HTTPFields = [.contentType: contentType]
            if let key { headers[.authorization] = "Bearer \(key == "KEY" ? tenant.apiKey : key)" }
            let response = try await client.execute(uri: "/api/leads/bulk", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(response.status == status)
            let error = response.json["error"] as? [String: Any]
            #expect(error?["code"] as? String == code)
            #expect((error?["message"] as? String)?.isEmpty == false)
        }
    }

    @Test func refusesMoreThanTenThousandLeadsNamingTheLimit() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, _ in
            let items = Array(repeating: #"{"email":"a@b.co"}"#, count: 10_001).joined(separator: ",")
            let response = try await client.postJSON("/api/leads/bulk", key: tenant.apiKey, body: "[\(items)]")
            #expect(response.status == .contentTooLarge)
            #expect(
                (response.json["error"] as? [String: Any])?["message"] as? String
                    == "10001 leads in one request; the limit is 10000 (split the batch)"
            )
        }
    }

    @Test func healthIsAliveAndReadyChecksBothStores() async throws {
        try await IngestAPITestHarness.run { client, _, _, _ in
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
            let ready = try await client.execute(uri: "/health/ready", method: .get)
            #expect(ready.status == .ok)
            #expect(ready.json["postgresql"] as? String == "ok")
            #expect(ready.json["redis"] as? String == "ok")
        }
    }

    @Test func anItemWithANULCharacterIsRejectedAloneNotWithA500() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let response = try await client.postJSON(
                "/api/leads/bulk",
                key: tenant.apiKey,
                body: #"[{"email": "ok@example.com"}, {"email": "bad@example.com", "notes": "a\u0000b"}]"#
            )
            #expect(response.status == .accepted)
            let results = try #require(response.json["results"] as? [[String: Any]])
            #expect(results.map { $0["status"] as? String } == ["accepted", "rejected"])
            #expect(try await stores.count("SELECT count(*)::int FROM leads") == 1)
        }
    }
}
