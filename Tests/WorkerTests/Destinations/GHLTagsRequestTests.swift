import Foundation
import NIOHTTP1
import Shared
import TestSupport
import Testing
import WorkerApp

extension Destinations {
    @Suite("GoHighLevel tags request")
    struct GHLTagsRequestTests {
        typealias F = DestinationFixtures

        static let config: [String: JSONValue] = [
            "locationId": .string("ve9EPM428h8vShlRW1KT"),
            "tags": .array([
                .string("נשלחה הודעה"), .string(" leadrelay-{{source_name}} "), .string("{{extra.missing}}"), .string("נשלחה הודעה"),
            ]),
        ]

        static func destination(_ config: [String: JSONValue] = config, baseURL: String? = nil) -> Destination {
            F.destination(.ghlTags, config: config, baseURL: baseURL)
        }

        /// What the validator finds wrong with `request`.
        static func problems(_ request: DeliveryRequest) throws -> [String] {
            let url = try #require(URL(string: request.url))
            return try GHLOpenAPIValidator.standard().validate(
                method: request.method.rawValue,
                path: url.path,
                headers: F.pairs(request.headers),
                body: request.body
            )
        }

        /// The tags call the follow-up makes after `answer`, with the external id it keeps.
        static func tagsCall(after answer: DeliveryResponse, of request: DeliveryRequest) throws -> (DeliveryRequest, String?) {
            let followUp = try #require(request.followUp)
            guard case .call(let call, let externalId) = followUp.next(answer) else {
                Issue.record("no tags call after HTTP \(answer.status)")
                throw CancellationError()
            }
            return (call, externalId)
        }

        static let upserted = DeliveryResponse(status: 200, text: #"{"new":false,"contact":{"id":"c/1 x"},"traceId":"t"}"#)

        @Test("the upsert finds the contact by email and phone only", arguments: [F.lead, F.emailOnlyLead, F.phoneOnlyLead])
        func theUpsertCarriesOnlyTheContactsIdentity(lead: DeliveryLead) throws {
            let request = try DestinationRequestBuilder.build(lead: lead, destination: Self.destination(), secret: F.secret)
            #expect(request.method == .POST)
            #expect(request.url == "https://services.leadconnectorhq.com/contacts/upsert")
            #expect(request.headers.first(name: "Authorization") == "Bearer \(F.secret)")
            #expect(request.headers.first(name: "Version") == "2021-07-28")
            var expected: [String: JSONValue] = ["locationId": .string("ve9EPM428h8vShlRW1KT")]
            expected["email"] = lead.email.map(JSONValue.string)
            expected["phone"] = lead.phone.map(JSONValue.string)
            #expect(F.body(request) == expected, "no name, source or tags: nothing else of the contact changes")
            #expect(try Self.problems(request) == [])
        }

        @Test func theTagsCallAddsTheRenderedTagsToTheUpsertedContact() throws {
            let destination = Self.destination(baseURL: "http://127.0.0.1:9999/sandbox/")
            let request = try DestinationRequestBuilder.build(lead: F.lead, destination: destination, secret: F.secret)
            #expect(request.url == "http://127.0.0.1:9999/sandbox/contacts/upsert")
            let (call, externalId) = try Self.tagsCall(after: Self.upserted, of: request)
            #expect(externalId == "c/1 x")
            #expect(call.method == .POST)
            #expect(call.url == "http://127.0.0.1:9999/sandbox/contacts/c%2F1%20x/tags", "the id is one path segment")
            #expect(call.headers.first(name: "Authorization") == "Bearer \(F.secret)")
            #expect(call.headers.first(name: "Version") == "2021-07-28")
            #expect(F.body(call) == ["tags": .array([.string("נשלחה הודעה"), .string("leadrelay-Website form")])])
            #expect(call.bodyText.contains("נשלחה הודעה"), "Hebrew as UTF-8, not escaped")
            let plain = try DestinationRequestBuilder.build(lead: F.lead, destination: Self.destination(), secret: F.secret)
            let (spec, _) = try Self.tagsCall(after: DeliveryResponse(status: 200, text: #"{"contact":{"id":"c-1"}}"#), of: plain)
            #expect(spec.url == "https://services.leadconnectorhq.com/contacts/c-1/tags")
            #expect(try Self.problems(spec) == [])
        }

        @Test func anUpsertAnswerWithoutTheContactIdIsUnexpectedAndAFailureIsClassifiedAsIs() throws {
            let request = try DestinationRequestBuilder.build(lead: F.lead, destination: Self.destination(), secret: F.secret)
            let followUp = try #require(request.followUp)
            guard case .unexpected(let reason) = followUp.next(DeliveryResponse(status: 200, text: #"{"contact":{}}"#)) else {
                Issue.record("a 200 without an id is unexpected")
                return
            }
            #expect(reason == "GoHighLevel answered the upsert (HTTP 200) without the contact's id")
            for status in [401, 404, 422, 429, 500] {
                guard case .classifyFirst = followUp.next(DeliveryResponse(status: status, text: #"{"contact":{"id":"c"}}"#)) else {
                    Issue.record("HTTP \(status) is the delivery's answer")
                    continue
                }
            }
        }

        struct Unbuildable: Sendable, CustomTestStringConvertible {
            var config: [String: JSONValue]
            var lead: DeliveryLead
            var secret: String?
            var error: DeliveryBuildError
            var testDescription: String { error.reason }
        }

        @Test(
            "leads or destinations that cannot be tagged fail before any call",
            arguments: [
                Unbuildable(
                    config: ["tags": .string("a")],
                    lead: F.lead,
                    secret: F.secret,
                    error: .configuration("GoHighLevel tags destination has no locationId in its config")
                ),
                Unbuildable(
                    config: ["locationId": .string("l")],
                    lead: F.lead,
                    secret: F.secret,
                    error: .configuration("GoHighLevel tags destination has no tags in its config")
                ),
                Unbuildable(
                    config: config,
                    lead: F.lead,
                    secret: nil,
                    error: .configuration("GoHighLevel tags destination has no credential (set one with --secret)")
                ),
                Unbuildable(
                    config: config,
                    lead: DeliveryLead(id: 1, firstName: "No", phoneRaw: "12"),
                    secret: F.secret,
                    error: .invalidLead("GoHighLevel tags need the lead's email or phone to find its contact; the lead has neither")
                ),
                Unbuildable(
                    config: ["locationId": .string("l"), "tags": .array([.string("{{extra.missing}}"), .string(" ")])],
                    lead: F.lead,
                    secret: F.secret,
                    error: .invalidLead("every GoHighLevel tag renders empty for this lead")
                ),
            ]
        )
        func unbuildable(_ example: Unbuildable) {
            #expect(throws: example.error) {
                try DestinationRequestBuilder.build(lead: example.lead, destination: Self.destination(example.config), secret: example.secret)
            }
        }

        @Test(
            "a config that cannot tag is refused when saved",
            arguments: [
                (["locationId": "l", "tags": []], "GoHighLevel tags destination has no tags in its config"),
                (["locationId": "l", "tags": ["ok", " "]], "GoHighLevel tags config tags[1] is empty"),
                (["locationId": "l", "tags": ["two\nlines"]], "GoHighLevel tags config tags[0] must be one line"),
                (["locationId": "l", "tags": ["a", "b"], "source": "x"], "GoHighLevel tags config has no field source; it takes locationId, tags"),
                (["tags": ["a"]], "GoHighLevel tags destination has no locationId in its config"),
            ] as [([String: JSONValue], String)]
        )
        func refusedConfig(_ config: [String: JSONValue], reason: String) throws {
            let adapter = try #require(DestinationRegistry.adapter(for: .ghlTags))
            #expect(throws: DeliveryBuildError.configuration(reason)) { try adapter.validate(config: config) }
        }

        @Test func aTagNamingNoLeadFieldIsRefusedWhenSaved() throws {
            let adapter = try #require(DestinationRegistry.adapter(for: .ghlTags))
            let error = #expect(throws: DeliveryBuildError.self) {
                try adapter.validate(config: ["locationId": "l", "tags": ["leadrelay-{{frist_name}}"]])
            }
            #expect(error?.errorClass == .configuration)
            #expect(error?.reason.contains("tags[0]") == true)
            try adapter.validate(config: Self.config)
        }

        struct Answer: Sendable, CustomTestStringConvertible {
            var name: String
            var response: DeliveryResponse
            var outcome: String
            var errorClass: DeliveryErrorClass?
            var testDescription: String { name }
        }

        @Test(
            "the tags call's answer",
            arguments: [
                Answer(name: "201 tags", response: DeliveryResponse(status: 201, text: #"{"tags":["a"]}"#), outcome: "succeeded"),
                Answer(
                    name: "404 contact",
                    response: DeliveryResponse(status: 404, text: #"{"statusCode":404,"message":"Contact not found"}"#),
                    outcome: "permanent",
                    errorClass: .invalidLead
                ),
                Answer(
                    name: "400 not found",
                    response: DeliveryResponse(status: 400, text: #"{"statusCode":400,"message":"Contact with id c not found"}"#),
                    outcome: "permanent",
                    errorClass: .invalidLead
                ),
                Answer(
                    name: "422 other",
                    response: DeliveryResponse(status: 422, text: #"{"statusCode":422,"message":["tags must be an array"]}"#),
                    outcome: "permanent",
                    errorClass: .validation
                ),
                Answer(
                    name: "401",
                    response: DeliveryResponse(status: 401, text: #"{"statusCode":401,"message":"Invalid JWT"}"#),
                    outcome: "retryable",
                    errorClass: .authentication
                ),
                Answer(
                    name: "429",
                    response: DeliveryResponse(status: 429, headers: ["Retry-After": "7"], text: "{}"),
                    outcome: "retryable",
                    errorClass: .rateLimited
                ),
            ]
        )
        func classifiesTheTagsAnswer(_ example: Answer) {
            let outcome = DeliveryClassifier.classify(example.response, destination: Self.destination())
            #expect(outcome.name == example.outcome)
            #expect(outcome.errorClass == example.errorClass)
            if example.outcome == "retryable" && example.response.status == 429 { #expect(outcome.retryAfter == .seconds(7)) }
        }
    }
}
