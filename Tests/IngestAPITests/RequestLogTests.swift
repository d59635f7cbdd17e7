import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IngestAPIApp
import Logging
import Shared
import TestSupport
import Testing

@Suite("Request ids and the access log")
struct RequestLogTests {
    /// A live API on a private database whose log lines are captured.
    private func withCapturedApp(
        _ body: @Sendable (any TestClientProtocol, IngestAPITestHarness.SeededTenant, CapturingLogHandler.Store) async throws -> Void
    ) async throws {
        try await TestDatabase.withDatabase { database in
            let configuration = try TestEnvironment.configuration(
                database: database.configuration,
                redisKeyPrefix: TestEnvironment.uniqueName("lr"),
                extra: ["MIGRATE_ON_BOOT": "false"]
            )
            let tenant = try await database.withClient { client in
                try await IngestAPITestHarness.seed(client, name: "Logged", configuration: configuration)
            }
            let (captured, store) = CapturingLogHandler.logger()
            var logger = captured
            logger.logLevel = .debug
            let app = buildApplication(configuration: configuration, logger: logger)
            try await app.test(.live) { client in try await body(client, tenant, store) }
        }
    }

    @Test func aCallersRequestIdIsEchoedAndTagsTheAccessLogLine() async throws {
        try await withCapturedApp { client, tenant, logs in
            let response = try await client.postJSON(
                "/api/leads",
                key: tenant.apiKey,
                body: #"{"email": "req@example.com"}"#,
                headers: [.requestID: "trace-42.a_b"]
            )
            #expect(response.status == .accepted)
            #expect(response.headers[.requestID] == "trace-42.a_b")
            let line = try #require(logs.all.first { $0.message == "request" && $0.metadata["request_id"] == "trace-42.a_b" })
            #expect(line.level == .info)
            #expect(line.metadata["route"] == "/api/leads")
            #expect(line.metadata["method"] == "POST")
            #expect(line.metadata["status"] == "202")
            #expect(line.metadata["tenant_id"] == tenant.tenant.id.uuidString.lowercased(), "ids in logs are lower case, as in the API")
            #expect(line.metadata["duration_ms"].flatMap(Double.init) != nil)
        }
    }

    @Test(arguments: ["", "has space", "<script>", String(repeating: "a", count: 129)])
    func anUnsafeRequestIdIsReplacedByOurs(_ presented: String) async throws {
        try await withCapturedApp { client, _, _ in
            let response = try await client.execute(uri: "/health", method: .get, headers: [.requestID: presented])
            let issued = try #require(response.headers[.requestID])
            #expect(issued != presented)
            #expect(!issued.isEmpty)
        }
    }

    @Test func errorsCarryTheRequestIdAndTokensInPathsAreNotLogged() async throws {
        try await withCapturedApp { client, _, logs in
            let unauthorized = try await client.postJSON("/api/leads", key: nil, body: "{}", headers: [.requestID: "r-401"])
            #expect(unauthorized.status == .unauthorized)
            #expect(unauthorized.headers[.requestID] == "r-401")
            let hook = try await client.execute(
                uri: "/hooks/secret-token-value?x=secret-query",
                method: .post,
                headers: [.contentType: "application/json", .requestID: "r-hook"],
                body: ByteBuffer(string: "{}")
            )
            #expect(hook.status == .notFound)
            let line = try #require(logs.all.first { $0.message == "request" && $0.metadata["request_id"] == "r-hook" })
            #expect(line.metadata["route"] == "/hooks/{token}")
            #expect(line.metadata["status"] == "404")
            let everything = logs.all.map { "\($0.message) \($0.metadata)" }.joined(separator: "\n")
            #expect(!everything.contains("secret-token-value"))
            #expect(!everything.contains("secret-query"))
        }
    }
}
