import Foundation
import PostgresNIO
import Shared
import TestSupport
import Testing
import WorkerApp

@Suite("Delivery engine")
struct DeliveryEngineTests {
    @Test func deliversEveryLeadToGoHighLevelWithSpecValidRequestsAndKeepsTheContactId() async throws {
        try await CRMStandIn.withRunning(validator: .standard()) { crm in
            crm.setDefault(.ghlUpsert(contactId: "ghl-contact-9"))
            try await WorkerTestHarness.run { harness in
                let (_, source) = try await harness.destination(.ghl, baseURL: crm.baseURL, config: ["locationId": "loc-1"])
                try await harness.ingest(25, source: source)
                let (counts, streamLength) = try await harness.withWorkers { _ in
                    (try await harness.waitForStatuses { $0["succeeded"] == 25 }, try await harness.streamLength(settlesAt: 0))
                }
                #expect(counts == ["succeeded": 25])
                #expect(streamLength == 0, "acknowledged entries (and any harmless duplicates) are deleted")
                #expect(crm.requests.count == 25)
                #expect(crm.requests.allSatisfy { $0.violations.isEmpty }, "\(crm.requests.first?.violations ?? [])")
                #expect(crm.requests.first?.header("Authorization") == "Bearer token-123")
                #expect(crm.requests.first?.path == "/contacts/upsert")
                #expect(
                    try await harness.count("SELECT count(*)::int FROM deliveries WHERE external_id = 'ghl-contact-9' AND finished_at IS NOT NULL")
                        == 25
                )
                #expect(
                    try await harness.count(
                        "SELECT count(*)::int FROM delivery_attempts WHERE outcome = 'succeeded' AND http_status = 200 AND attempt = 1"
                    ) == 25
                )
            }
        }
    }

    @Test func aRetryableFailureIsRetriedWithBackoffAndEachAttemptIsLogged() async throws {
        try await CRMStandIn.withRunning { crm in
            crm.enqueue(.serverError(503), .rateLimited(retryAfter: "1"))
            crm.setDefault(.created(id: "partner-7"))
            try await WorkerTestHarness.run { harness in
                let (_, source) = try await harness.destination(.http, baseURL: nil, config: ["url": .string(crm.baseURL + "/leads")]) {
                    $0.retryScheduleSeconds = [1]
                    $0.maxAttempts = 5
                }
                let ids = try await harness.ingest(1, source: source)
                let counts = try await harness.withWorkers { _ in
                    try await harness.waitForStatuses { $0["succeeded"] == 1 }
                }
                #expect(counts == ["succeeded": 1])
                let id = try #require(ids.first)
                var outcomes: [String] = []
                for try await (outcome, status) in try await harness.stores.postgres.query(
                    "SELECT outcome, coalesce(http_status, 0) FROM delivery_attempts WHERE delivery_id = \(id) ORDER BY attempt"
                ).decode((String, Int).self) {
                    outcomes.append("\(outcome) \(status)")
                }
                #expect(outcomes == ["retryable 503", "retryable 429", "succeeded 201"])
                #expect(try await harness.count("SELECT attempts FROM deliveries WHERE id = \(id) AND external_id = 'partner-7'") == 3)
            }
        }
    }

    @Test func aPermanentFailureIsDeadAtOnceWithTheReason() async throws {
        try await CRMStandIn.withRunning { crm in
            crm.setDefault(.unprocessable(["email must be an email"]))
            try await WorkerTestHarness.run { harness in
                let (_, source) = try await harness.destination(.http, baseURL: nil, config: ["url": .string(crm.baseURL + "/leads")])
                try await harness.ingest(2, source: source)
                let counts = try await harness.withWorkers { _ in try await harness.waitForStatuses { $0["dead"] == 2 } }
                #expect(counts == ["dead": 2])
                #expect(crm.requests.count == 2, "no retries of a permanent failure")
                var reasons: [String] = []
                for try await reason in try await harness.stores.postgres.query(
                    "SELECT last_error FROM deliveries"
                ).decode(String.self) { reasons.append(reason) }
                #expect(reasons.allSatisfy { $0.contains("email must be an email") }, "\(reasons)")
            }
        }
    }

    @Test func retriesStopWhenAttemptsAreUsedUp() async throws {
        try await CRMStandIn.withRunning { crm in
            crm.setDefault(.serverError(500))
            try await WorkerTestHarness.run { harness in
                let (_, source) = try await harness.destination(.http, baseURL: nil, config: ["url": .string(crm.baseURL + "/leads")]) {
                    $0.retryScheduleSeconds = [1]
                    $0.maxAttempts = 2
                }
                try await harness.ingest(1, source: source)
                let counts = try await harness.withWorkers { _ in try await harness.waitForStatuses { $0["dead"] == 1 } }
                #expect(counts == ["dead": 1])
                #expect(crm.requests.count == 2)
                #expect(
                    try await harness.count(
                        "SELECT count(*)::int FROM deliveries WHERE last_error LIKE 'gave up after 2 attempts:%' AND attempts = 2"
                    ) == 1
                )
            }
        }
    }

    @Test func dryRunDestinationsCallNothingAndSucceed() async throws {
        try await CRMStandIn.withRunning { crm in
            try await WorkerTestHarness.run { harness in
                let (_, source) = try await harness.destination(.ghl, baseURL: crm.baseURL, config: ["locationId": "loc"], dryRun: true)
                try await harness.ingest(5, source: source)
                let counts = try await harness.withWorkers { _ in try await harness.waitForStatuses { $0["succeeded"] == 5 } }
                #expect(counts == ["succeeded": 5])
                #expect(crm.requests.isEmpty)
                #expect(try await harness.count("SELECT count(*)::int FROM deliveries WHERE external_id = 'dry-run'") == 5)
            }
        }
    }

    @Test func fourWorkerProcessesTogetherNeverExceedTheAccountRateLimit() async throws {
        try await CRMStandIn.withRunning { crm in
            crm.setDefault(.created())
            try await WorkerTestHarness.run { harness in
                let (_, source) = try await harness.destination(.http, baseURL: nil, config: ["url": .string(crm.baseURL + "/leads")]) {
                    $0.accountKey = "partner:shared"
                    $0.rateLimitRequests = 4
                    $0.rateLimitIntervalMilliseconds = 2_000
                }
                try await harness.ingest(16, source: source)
                let counts = try await harness.withWorkers(4) { _ in
                    try await harness.waitForStatuses { $0["succeeded"] == 16 }
                }
                #expect(counts == ["succeeded": 16])
                let times = crm.requests.map(\.receivedAt).sorted()
                #expect(times.count == 16)
                // At most 4 calls in any 2 s: any 5 consecutive arrivals span 2 s. The stand-in runs in
                // this (busy, parallel) test process, so its receive times carry up to ~0.4 s of its own
                // scheduling delay; uncoordinated workers would land 5 calls within milliseconds. The exact
                // schedule is checked on the Redis clock by the limiter's own test.
                var tightest = Double.infinity
                for index in 4..<times.count { tightest = min(tightest, times[index].timeIntervalSince(times[index - 4])) }
                #expect(tightest >= 1.5, "5 calls arrived within \(tightest) s: the 4 per 2 s limit was exceeded")
                #expect(try await harness.count("SELECT count(*)::int FROM delivery_attempts") == 16, "waiting for a slot spends no attempt")
            }
        }
    }

    @Test func aRunningWorkerHasAHeartbeatAndRemovesItWhenItStops() async throws {
        try await WorkerTestHarness.run { harness in
            let alive = try await harness.withWorkers(2) { _ in
                var alive: [WorkerHeartbeats.Status] = []
                for _ in 0..<100 {
                    alive = try await WorkerHeartbeats(stores: harness.stores).alive()
                    if alive.count == 2 { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                return alive
            }
            #expect(alive.count == 2)
            #expect(alive.allSatisfy { $0.concurrency == 8 && $0.workerId.hasPrefix("test-worker-") })
            #expect(try await WorkerHeartbeats(stores: harness.stores).alive().isEmpty, "stopped workers remove their heartbeat")
        }
    }
}
