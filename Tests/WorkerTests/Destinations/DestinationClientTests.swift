import AsyncHTTPClient
import Foundation
import Logging
import NIOHTTP1
import Shared
import TestSupport
import Testing
import WorkerApp

extension Destinations {
    @Suite("Destination client against stand-in CRMs")
    struct DestinationClientTests {
        typealias F = DestinationFixtures

        static func client(logger: Logger = TestEnvironment.logger) -> DestinationClient {
            DestinationClient(httpClient: .allowingPrivateNetworksForTests, logger: logger)
        }

        struct Scripted: Sendable, CustomTestStringConvertible {
            var name: String
            var kind: DestinationKind
            var answer: StandInAnswer
            var outcome: String
            var errorClass: DeliveryErrorClass?
            var externalId: String?
            var httpStatus: Int?
            var retryAfter: Duration?
            var testDescription: String { name }
        }

        static let scripted: [Scripted] = [
            Scripted(
                name: "GHL 200 upsert",
                kind: .ghl,
                answer: .ghlUpsert(contactId: "c-200"),
                outcome: "succeeded",
                externalId: "c-200",
                httpStatus: 200
            ),
            Scripted(
                name: "GHL 201 created",
                kind: .ghl,
                answer: .ghlCreated(contactId: "c-201"),
                outcome: "succeeded",
                externalId: "c-201",
                httpStatus: 201
            ),
            Scripted(
                name: "GHL 400 duplicate",
                kind: .ghl,
                answer: .ghlDuplicate(contactId: "dup-1"),
                outcome: "succeeded",
                externalId: "dup-1",
                httpStatus: 400
            ),
            Scripted(
                name: "GHL 401",
                kind: .ghl,
                answer: .unauthorized(),
                outcome: "retryable",
                errorClass: .authentication,
                httpStatus: 401
            ),
            Scripted(
                name: "GHL 422",
                kind: .ghl,
                answer: .unprocessable(["email must be an email"]),
                outcome: "permanent",
                errorClass: .validation,
                httpStatus: 422
            ),
            Scripted(
                name: "GHL 429 with rate-limit headers",
                kind: .ghl,
                answer: .rateLimited(headers: [("X-RateLimit-Remaining", "0"), ("X-RateLimit-Interval-Milliseconds", "10000")]),
                outcome: "retryable",
                errorClass: .rateLimited,
                httpStatus: 429,
                retryAfter: .seconds(10)
            ),
            Scripted(
                name: "Momence 429 with Retry-After",
                kind: .momence,
                answer: .rateLimited(retryAfter: "7"),
                outcome: "retryable",
                errorClass: .rateLimited,
                httpStatus: 429,
                retryAfter: .seconds(7)
            ),
            Scripted(name: "500", kind: .ghl, answer: .serverError(), outcome: "retryable", errorClass: .serverError, httpStatus: 500),
            Scripted(
                name: "Momence Cloudflare challenge",
                kind: .momence,
                answer: .cloudflareChallenge(),
                outcome: "retryable",
                errorClass: .cloudflareChallenge,
                httpStatus: 403
            ),
            Scripted(name: "Momence 200", kind: .momence, answer: .ok(""), outcome: "succeeded", httpStatus: 200),
            Scripted(
                name: "NPA 201",
                kind: .npa,
                answer: .created(id: "npa-1"),
                outcome: "succeeded",
                externalId: "npa-1",
                httpStatus: 201
            ),
            Scripted(
                name: "HTTP 400",
                kind: .http,
                answer: .badRequest("zip_code is invalid"),
                outcome: "permanent",
                errorClass: .badRequest,
                httpStatus: 400
            ),
            Scripted(
                name: "slow but within the timeout",
                kind: .ghl,
                answer: StandInAnswer.ghlUpsert(contactId: "slow").delayed(by: .milliseconds(300)),
                outcome: "succeeded",
                externalId: "slow",
                httpStatus: 200
            ),
        ]

        @Test("scripted answers", arguments: scripted)
        func scriptedAnswer(_ example: Scripted) async throws {
            let validator = example.kind == .ghl ? try GHLOpenAPIValidator.standard() : nil
            try await CRMStandIn.withRunning(validator: validator) { standIn in
                standIn.enqueue(example.answer)
                let destination = F.destination(example.kind, baseURL: standIn.baseURL)
                let outcome = await Self.client().deliver(F.lead, to: destination, secret: F.secret)
                #expect(outcome.name == example.outcome, "\(outcome)")
                #expect(outcome.errorClass == example.errorClass)
                #expect(outcome.externalId == example.externalId)
                #expect(outcome.httpStatus == example.httpStatus)
                #expect(outcome.retryAfter == example.retryAfter)
                #expect(outcome.responseExcerpt.map { !$0.contains(F.secret) } ?? true)
                #expect(outcome.reason.map { !$0.contains(F.secret) } ?? true)
                let requests = standIn.requests
                try #require(requests.count == 1)
                #expect(requests[0].violations == [], "the request conforms to the spec")
                #expect(requests[0].method == "POST")
            }
        }

        @Test func ghlRequestsArriveAsBuiltAndConformToTheSpec() async throws {
            try await CRMStandIn.withRunning(validator: try GHLOpenAPIValidator.standard()) { standIn in
                standIn.setDefault(.ghlUpsert(contactId: "c-1"))
                let config: [String: JSONValue] = [
                    "locationId": .string("loc-1"), "tags": .array([.string("web")]), "custom_fields": .object(["Goal": .string("cf1")]),
                ]
                let destination = F.destination(.ghl, config: config, baseURL: standIn.baseURL)
                for lead in [F.lead, F.emailOnlyLead, F.phoneOnlyLead] {
                    #expect(await Self.client().deliver(lead, to: destination, secret: F.secret).externalId == "c-1")
                }
                let requests = standIn.requests
                #expect(requests.count == 3)
                for request in requests {
                    #expect(request.path == "/contacts/upsert")
                    #expect(request.violations == [])
                    #expect(request.header("Authorization") == "Bearer \(F.secret)")
                    #expect(request.header("Version") == "2021-07-28")
                }
                #expect(requests[0].jsonObject?["customFields"] == .array([.object(["id": .string("cf1"), "field_value": .string("strength")])]))
            }
        }

        @Test func aBodyTheSpecRejectsIsAnsweredWith422LikeGHL() async throws {
            try await CRMStandIn.withRunning(validator: try GHLOpenAPIValidator.standard()) { standIn in
                let request = DeliveryRequest(
                    method: .POST,
                    url: standIn.baseURL + "/contacts/upsert",
                    headers: ["Authorization": "Bearer \(F.secret)", "Version": "2021-07-28", "Content-Type": "application/json"],
                    body: Array(#"{"locationId":"l","notes":"x"}"#.utf8),
                    secret: F.secret
                )
                let outcome = await Self.client().send(request, to: F.destination(.ghl, baseURL: standIn.baseURL))
                #expect(outcome.errorClass == .validation)
                #expect(outcome.reason?.contains("property notes should not exist") == true, "\(outcome)")
            }
        }

        @Test func aHangingDestinationTimesOutWithinItsTimeout() async throws {
            try await CRMStandIn.withRunning { standIn in
                standIn.enqueue(.hang)
                let destination = F.destination(.http, config: ["url": .string("/leads")], baseURL: standIn.baseURL, timeoutMilliseconds: 400)
                let clock = ContinuousClock()
                let started = clock.now
                let outcome = await Self.client().deliver(F.lead, to: destination, secret: F.secret)
                let elapsed = clock.now - started
                #expect(outcome.name == "retryable")
                #expect(outcome.errorClass == .timeout)
                #expect(outcome.reason == "no answer within 400 ms")
                #expect(elapsed >= .milliseconds(380))
                // A hang guard, not a speed check: without the deadline this call would never return.
                #expect(elapsed < .seconds(10), "\(elapsed)")
                #expect(standIn.requests.count <= 1)
            }
        }

        @Test func aSlowAnswerPastTheTimeoutIsATimeout() async throws {
            try await CRMStandIn.withRunning { standIn in
                standIn.enqueue(StandInAnswer.created().delayed(by: .seconds(1)))
                let destination = F.destination(.npa, config: ["url": .string("/in")], baseURL: standIn.baseURL, timeoutMilliseconds: 300)
                let clock = ContinuousClock()
                let started = clock.now
                let outcome = await Self.client().deliver(F.lead, to: destination, secret: F.secret)
                // The answer came after 1 s: a timeout outcome (not a success) proves the deadline fired first.
                #expect(outcome.errorClass == .timeout)
                #expect(clock.now - started < .seconds(10), "hang guard")
            }
        }

        @Test func aStalledBodyIsBoundedByTheTimeoutToo() async throws {
            try await CRMStandIn.withRunning { standIn in
                // Headers arrive at once; the body never ends (Content-Length promises more than is sent).
                standIn.enqueue(StandInAnswer(status: 200, headers: [("Content-Length", "100")], body: "{"))
                let destination = F.destination(.http, config: ["url": .string("/in")], baseURL: standIn.baseURL, timeoutMilliseconds: 400)
                let clock = ContinuousClock()
                let started = clock.now
                let outcome = await Self.client().deliver(F.lead, to: destination, secret: F.secret)
                #expect(outcome.errorClass == .timeout, "\(outcome)")
                #expect(clock.now - started < .seconds(10), "hang guard: the body never ends")
            }
        }

        @Test func aRefusedConnectionIsRetryable() async throws {
            let destination = F.destination(.ghl, baseURL: "http://127.0.0.1:1", timeoutMilliseconds: 2_000)
            let outcome = await Self.client().deliver(F.lead, to: destination, secret: F.secret)
            #expect(outcome.name == "retryable")
            // AsyncHTTPClient retries a refused connect until the deadline; on a loaded machine the
            // deadline may be what ends it.
            #expect(outcome.errorClass == .connection || outcome.errorClass == .timeout, "\(outcome)")
            #expect(outcome.httpStatus == nil)
        }

        @Test func dryRunLogsTheRedactedRequestAndCallsNothing() async throws {
            try await CRMStandIn.withRunning { standIn in
                let (logger, logs) = CapturingLogHandler.logger()
                let destination = F.destination(.momence, baseURL: standIn.baseURL, dryRun: true)
                let outcome = await Self.client(logger: logger).deliver(F.lead, to: destination, secret: F.secret)
                #expect(outcome == .succeeded(externalId: "dry-run", httpStatus: nil, responseExcerpt: nil))
                #expect(standIn.requests.isEmpty)
                let record = try #require(logs.all.first { $0.level == .info })
                let logged = try #require(record.metadata["request"])
                #expect(logged.hasPrefix("POST \(standIn.baseURL)/integrations/customer-leads/12345/collect"))
                #expect(logged.contains(#""token":"[redacted]""#))
                #expect(logs.all.allSatisfy { !$0.message.contains(F.secret) && !$0.metadata.values.contains { $0.contains(F.secret) } })
            }
        }

        @Test func anUnbuildableLeadIsPermanentWithoutACall() async throws {
            try await CRMStandIn.withRunning { standIn in
                let destination = F.destination(.momence, baseURL: standIn.baseURL)
                let outcome = await Self.client().deliver(F.phoneOnlyLead, to: destination, secret: F.secret)
                #expect(
                    outcome
                        == .permanent(
                            reason: "Momence requires an email; the lead has none",
                            httpStatus: nil,
                            errorClass: .invalidLead,
                            responseExcerpt: nil
                        )
                )
                #expect(standIn.requests.isEmpty)
            }
        }

        @Test func anEchoedSecretNeverReachesTheOutcomeOrTheLogs() async throws {
            try await CRMStandIn.withRunning { standIn in
                standIn.enqueue(.json(401, #"{"message":"token \#(F.secret) expired","token":"\#(F.secret)"}"#))
                let (logger, logs) = CapturingLogHandler.logger()
                let outcome = await Self.client(logger: logger).deliver(
                    F.lead,
                    to: F.destination(.momence, baseURL: standIn.baseURL),
                    secret: F.secret
                )
                #expect(outcome.errorClass == .authentication)
                #expect(outcome.reason == "HTTP 401: token [redacted] expired")
                #expect(outcome.responseExcerpt?.contains(F.secret) == false)
                #expect("\(outcome)".contains(F.secret) == false)
                #expect(standIn.requests.first?.jsonObject?["token"] == .string(F.secret), "the token was sent in the body")
                #expect(logs.all.allSatisfy { !$0.message.contains(F.secret) && !$0.metadata.values.contains { $0.contains(F.secret) } })
            }
        }

        @Test func largeBodiesAreReadOnlyUpToTheLimit() async throws {
            try await CRMStandIn.withRunning { standIn in
                standIn.enqueue(.json(500, "[" + String(repeating: #""xxxxxxxxxx","#, count: 20_000) + "\"end\"]"))
                let client = DestinationClient(
                    httpClient: .allowingPrivateNetworksForTests,
                    logger: TestEnvironment.logger,
                    limits: .init(maxResponseBytes: 4_096, excerptBytes: 256)
                )
                let outcome = await client.deliver(
                    F.lead,
                    to: F.destination(.http, config: ["url": .string("/x")], baseURL: standIn.baseURL),
                    secret: nil
                )
                #expect(outcome.errorClass == .serverError)
                #expect((outcome.responseExcerpt?.utf8.count ?? 0) <= 256 + "…".utf8.count)
                #expect(outcome.responseExcerpt?.hasSuffix("…") == true)
            }
        }
    }
}
