import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IngestAPIApp
import NIOCore
import PostgresNIO
import Shared
import TestSupport
import Testing

@Suite("Outages and limits")
struct AvailabilityAndLimitsTests {
    @Test func anUnreachableDatabaseIsAnswered503WithRetryAfterOnEveryWritePath() async throws {
        try await TestDatabase.withDatabase { database in
            var unreachable = database.configuration
            unreachable.port = 1  // nothing listens there: every connection attempt is refused
            let configuration = try TestEnvironment.configuration(
                database: unreachable,
                redisKeyPrefix: TestEnvironment.uniqueName("lr"),
                extra: ["MIGRATE_ON_BOOT": "false"]
            )
            let app = buildApplication(configuration: configuration, logger: TestEnvironment.logger)
            try await app.test(.live) { client in
                let requests: [(String, HTTPFields, String)] = [
                    (
                        "/api/leads/bulk", [.contentType: "application/json", .authorization: "Bearer lr_00000000_00000000000000000000000000000000"],
                        #"[{"email": "a@example.com"}]"#
                    ),
                    (
                        "/api/imports?source=x", [.contentType: "text/csv", .authorization: "Bearer lr_00000000_00000000000000000000000000000000"],
                        "email\na@example.com\n"
                    ),
                    ("/f/aaaaaaaaaaaaaaaaaaaaaaaaaaaa", [.contentType: "application/x-www-form-urlencoded"], "email=a%40example.com"),
                ]
                // Each waits out the database timeout (10 s) before answering.
                for (uri, headers, body) in requests {
                    let response = try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
                    #expect(response.status == .serviceUnavailable, "\(uri)")
                    #expect(response.headers[.retryAfter] == "5", "\(uri)")
                    #expect((response.json["error"] as? [String: Any])?["code"] as? String == "database_unavailable", "\(uri)")
                }
                let ready = try await client.execute(uri: "/health/ready", method: .get)
                #expect(ready.status == .serviceUnavailable)
            }
        }
    }

    @Test func aKeyOverItsPerMinuteLimitGets429WithRetryAfter() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            // The limit counts per fixed one-minute window: the five requests must fall in one. On a loaded
            // machine they may straddle a minute boundary; then the round is repeated with a fresh key.
            func minute() -> Int { Int(Date().timeIntervalSince1970 / 60) }
            var statuses: [HTTPResponse.Status] = []
            var last: TestResponse?
            for round in 1...3 {
                let limited = try await APIKeyStore(client: stores.postgres, logger: TestEnvironment.logger)
                    .create(tenantId: tenant.tenant.id, name: "limited \(round)", requestsPerMinute: 3).key
                let secondOfMinute = Date().timeIntervalSince1970.truncatingRemainder(dividingBy: 60)
                if secondOfMinute > 50 { try await Task.sleep(for: .seconds(61 - secondOfMinute)) }
                let window = minute()
                statuses = []
                for index in 0..<5 {
                    let response = try await client.postJSON("/api/leads", key: limited, body: #"{"email": "r\#(round)-\#(index)@example.com"}"#)
                    statuses.append(response.status)
                    last = response
                }
                if minute() == window { break }
            }
            #expect(statuses == [.accepted, .accepted, .accepted, .tooManyRequests, .tooManyRequests])
            let retryAfter = try #require(last?.headers[.retryAfter].flatMap(Int.init))
            #expect((1...60).contains(retryAfter))
            #expect((last?.json["error"] as? [String: Any])?["code"] as? String == "rate_limited")
            let other = try await client.postJSON("/api/leads", key: tenant.apiKey, body: #"{"email": "other@example.com"}"#)
            #expect(other.status == .accepted, "the limit is per key")
        }
    }
}

@Suite("Redis outage at ingestion")
struct RedisOutageTests {
    @Test func leadsAreAcceptedAndTheirDeliveriesWaitAsPendingWhenRedisIsDown() async throws {
        try await TestDatabase.withDatabase { database in
            let configuration = try TestEnvironment.configuration(
                database: database.configuration,
                redisKeyPrefix: TestEnvironment.uniqueName("lr"),
                extra: ["MIGRATE_ON_BOOT": "false", "REDIS_URL": "redis://127.0.0.1:1/0"]
            )
            let (tenant, key) = try await database.withClient { client in
                let tenant = try await TenantStore(client: client, logger: TestEnvironment.logger).create(name: "Redis down")
                let destination = try await DestinationStore(client: client, logger: TestEnvironment.logger).create(
                    .withDefaults(tenantId: tenant.id, name: "npa", kind: .npa, config: [:], dryRun: true),
                    sealedSecret: nil
                )
                _ = try await SourceStore(client: client, logger: TestEnvironment.logger).create(
                    tenantId: tenant.id,
                    name: "API",
                    kind: .api,
                    destinationIds: [destination.id]
                )
                return (tenant, try await APIKeyStore(client: client, logger: TestEnvironment.logger).create(tenantId: tenant.id, name: "k").key)
            }
            let stores = DataStores(configuration: configuration, logger: TestEnvironment.logger)
            let app = buildApplication(configuration: configuration, stores: stores, logger: TestEnvironment.logger)
            try await app.test(.live) { client in
                let response = try await client.postJSON(
                    "/api/leads/bulk",
                    key: key,
                    body: #"[{"email": "a@example.com"}, {"email": "b@example.com"}]"#
                )
                #expect(response.status == .accepted, "the leads are committed; Redis is not needed to accept them")
                var pending = 0
                for _ in 0..<100 {
                    pending = try await stores.count("SELECT count(*)::int FROM deliveries WHERE status = 'pending' AND tenant_id = \(tenant.id)")
                    if pending == 2 { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(pending == 2, "the failed enqueue left them for the sweeper")
            }
        }
    }
}
