import Foundation
import NIOHTTP1
import Shared
import Testing
import WorkerApp

extension Destinations {
    @Suite("Delivery outcome classification")
    struct DeliveryClassifierTests {
        typealias F = DestinationFixtures

        struct Example: Sendable, CustomTestStringConvertible {
            var name: String
            var kind: DestinationKind
            var config: [String: JSONValue]?
            var status: Int
            var headers: [(String, String)] = []
            var body: String = ""
            var outcome: String
            var errorClass: DeliveryErrorClass?
            var externalId: String?
            var reason: String?
            var retryAfter: Duration?
            var testDescription: String { name }
        }

        static let cloudflareHTML = """
            <!DOCTYPE html><html><head><title>Just a moment...</title></head><body>
            <script src="/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1"></script></body></html>
            """

        static let examples: [Example] = [
            Example(
                name: "GHL 200 upsert keeps contact.id",
                kind: .ghl,
                status: 200,
                body: #"{"new":true,"contact":{"id":"c-1"},"traceId":"t"}"#,
                outcome: "succeeded",
                externalId: "c-1"
            ),
            Example(
                name: "GHL 201 create keeps contact.id",
                kind: .ghl,
                status: 201,
                body: #"{"contact":{"id":"c-2"}}"#,
                outcome: "succeeded",
                externalId: "c-2"
            ),
            Example(
                name: "GHL 400 duplicate with meta.contactId is a success",
                kind: .ghl,
                status: 400,
                body:
                    #"{"statusCode":400,"message":"This location does not allow duplicated contacts.","meta":{"contactId":"dup-9","matchingField":"email"}}"#,
                outcome: "succeeded",
                externalId: "dup-9"
            ),
            Example(
                name: "GHL v1 400 duplicate is a success too",
                kind: .ghlV1,
                status: 400,
                body: #"{"message":"This location does not allow duplicated contacts.","meta":{"contactId":"dup-1"}}"#,
                outcome: "succeeded",
                externalId: "dup-1"
            ),
            Example(
                name: "GHL 400 duplicate without an id is permanent",
                kind: .ghl,
                status: 400,
                body: #"{"statusCode":400,"message":"This location does not allow duplicated contacts."}"#,
                outcome: "permanent",
                errorClass: .badRequest,
                reason: "HTTP 400: This location does not allow duplicated contacts."
            ),
            Example(
                name: "GHL 400 is permanent with the message",
                kind: .ghl,
                status: 400,
                body: #"{"statusCode":400,"message":"Invalid phone number"}"#,
                outcome: "permanent",
                errorClass: .badRequest,
                reason: "HTTP 400: Invalid phone number"
            ),
            Example(
                name: "GHL 401 is retryable (expired token)",
                kind: .ghl,
                status: 401,
                body: #"{"statusCode":401,"message":"Invalid JWT","error":"Unauthorized"}"#,
                outcome: "retryable",
                errorClass: .authentication,
                reason: "HTTP 401: Invalid JWT"
            ),
            Example(
                name: "403 JSON is retryable",
                kind: .ghl,
                status: 403,
                body: #"{"message":"The token does not have access"}"#,
                outcome: "retryable",
                errorClass: .authentication
            ),
            Example(
                name: "GHL 422 lists its messages",
                kind: .ghl,
                status: 422,
                body: #"{"statusCode":422,"message":["property notes should not exist","email must be an email"],"error":"Unprocessable Entity"}"#,
                outcome: "permanent",
                errorClass: .validation,
                reason: "HTTP 422: property notes should not exist; email must be an email"
            ),
            Example(
                name: "404 is permanent",
                kind: .ghl,
                status: 404,
                body: "",
                outcome: "permanent",
                errorClass: .notFound,
                reason: "HTTP 404 (not found)"
            ),
            Example(
                name: "GHL 429 waits for the rate-limit interval",
                kind: .ghl,
                status: 429,
                headers: [("X-RateLimit-Remaining", "0"), ("X-RateLimit-Interval-Milliseconds", "10000"), ("X-RateLimit-Max", "100")],
                body: #"{"message":"Too many requests"}"#,
                outcome: "retryable",
                errorClass: .rateLimited,
                retryAfter: .seconds(10)
            ),
            Example(
                name: "GHL daily budget spent waits an hour",
                kind: .ghl,
                status: 429,
                headers: [("X-RateLimit-Daily-Remaining", "0"), ("X-RateLimit-Interval-Milliseconds", "10000")],
                outcome: "retryable",
                errorClass: .rateLimited,
                retryAfter: .seconds(3_600)
            ),
            Example(
                name: "429 honours Retry-After seconds",
                kind: .momence,
                status: 429,
                headers: [("Retry-After", "30")],
                outcome: "retryable",
                errorClass: .rateLimited,
                retryAfter: .seconds(30)
            ),
            Example(
                name: "429 without hints",
                kind: .http,
                status: 429,
                outcome: "retryable",
                errorClass: .rateLimited,
                reason: "HTTP 429 (rate limited)"
            ),
            Example(
                name: "500 is retryable",
                kind: .ghl,
                status: 500,
                body: #"{"statusCode":500,"message":"Internal server error"}"#,
                outcome: "retryable",
                errorClass: .serverError,
                reason: "HTTP 500: Internal server error"
            ),
            Example(
                name: "503 with Retry-After",
                kind: .npa,
                status: 503,
                headers: [("Retry-After", "120")],
                body: "maintenance",
                outcome: "retryable",
                errorClass: .serverError,
                reason: "HTTP 503: maintenance",
                retryAfter: .seconds(120)
            ),
            Example(
                name: "502 HTML without Cloudflare is a server error",
                kind: .momence,
                status: 502,
                headers: [("Content-Type", "text/html")],
                body: "<html><body>Bad gateway</body></html>",
                outcome: "retryable",
                errorClass: .serverError,
                reason: "HTTP 502 (server error)"
            ),
            Example(
                name: "Cloudflare challenge 403 is retryable",
                kind: .momence,
                status: 403,
                headers: [("Content-Type", "text/html; charset=UTF-8"), ("cf-ray", "8f3c-ORD")],
                body: cloudflareHTML,
                outcome: "retryable",
                errorClass: .cloudflareChallenge
            ),
            Example(
                name: "Cloudflare 503 without content type is detected from the page",
                kind: .momence,
                status: 503,
                headers: [("Server", "cloudflare"), ("Retry-After", "5")],
                body: cloudflareHTML,
                outcome: "retryable",
                errorClass: .cloudflareChallenge,
                retryAfter: .seconds(5)
            ),
            Example(
                name: "Cloudflare challenge served with 200 is not a success",
                kind: .momence,
                status: 200,
                headers: [("Content-Type", "text/html"), ("cf-ray", "1-ORD")],
                body: cloudflareHTML,
                outcome: "retryable",
                errorClass: .cloudflareChallenge
            ),
            Example(name: "Momence 200 with an empty body", kind: .momence, status: 200, outcome: "succeeded"),
            Example(
                name: "Momence 400 keeps its error",
                kind: .momence,
                status: 400,
                body: #"{"error":"Invalid sourceId"}"#,
                outcome: "permanent",
                errorClass: .badRequest,
                reason: "HTTP 400: Invalid sourceId"
            ),
            Example(
                name: "HTTP 201 keeps the id",
                kind: .http,
                status: 201,
                body: #"{"id":"L-77"}"#,
                outcome: "succeeded",
                externalId: "L-77"
            ),
            Example(
                name: "NPA 200 keeps a numeric lead_id",
                kind: .npa,
                status: 200,
                body: #"{"lead_id":123,"status":"queued"}"#,
                outcome: "succeeded",
                externalId: "123"
            ),
            Example(
                name: "external_id_path picks the id",
                kind: .http,
                config: ["url": .string("https://x.example.com"), "external_id_path": .string("result.items.0.ref")],
                status: 200,
                body: #"{"result":{"items":[{"ref":"R1"}]}}"#,
                outcome: "succeeded",
                externalId: "R1"
            ),
            Example(
                name: "2xx outside success_statuses is permanent",
                kind: .http,
                config: ["url": .string("https://x.example.com"), "success_statuses": .array([.number(200)])],
                status: 202,
                outcome: "permanent",
                errorClass: .unexpectedResponse,
                reason: "HTTP 202 is not one of the destination's success_statuses"
            ),
            Example(
                name: "success_statuses may accept 409",
                kind: .http,
                config: ["url": .string("https://x.example.com"), "success_statuses": .array([.string("2xx"), .string("409")])],
                status: 409,
                body: #"{"id":"existing"}"#,
                outcome: "succeeded",
                externalId: "existing"
            ),
            Example(
                name: "success_match failing is permanent with the message",
                kind: .npa,
                config: ["url": .string("https://x.example.com"), "success_match": .object(["status": .string("ok")])],
                status: 200,
                body: #"{"status":"error","message":"duplicate lead"}"#,
                outcome: "permanent",
                errorClass: .unexpectedResponse,
                reason: #"HTTP 200 without status = "ok": duplicate lead"#
            ),
            Example(
                name: "success_match holding is a success",
                kind: .npa,
                config: ["url": .string("https://x.example.com"), "success_match": .object(["status": .string("ok")])],
                status: 200,
                body: #"{"status":"ok","id":5}"#,
                outcome: "succeeded",
                externalId: "5"
            ),
            Example(name: "408 is retryable", kind: .http, status: 408, outcome: "retryable", errorClass: .retryableStatus),
            Example(
                name: "301 is permanent",
                kind: .http,
                status: 301,
                headers: [("Location", "https://elsewhere")],
                outcome: "permanent",
                errorClass: .unexpectedResponse,
                reason: "HTTP 301 (redirect not followed)"
            ),
            Example(
                name: "409 is a permanent client error",
                kind: .http,
                status: 409,
                body: #"{"errors":[{"message":"email taken"}]}"#,
                outcome: "permanent",
                errorClass: .clientError,
                reason: "HTTP 409: email taken"
            ),
        ]

        @Test("HTTP answers", arguments: examples)
        func classifies(_ example: Example) {
            let destination = F.destination(example.kind, config: example.config)
            let response = DeliveryResponse(status: example.status, headers: HTTPHeaders(example.headers), text: example.body)
            let outcome = DeliveryClassifier.classify(response, destination: destination)
            #expect(outcome.name == example.outcome)
            #expect(outcome.errorClass == example.errorClass)
            #expect(outcome.externalId == example.externalId)
            #expect(outcome.httpStatus == example.status)
            if let reason = example.reason { #expect(outcome.reason == reason) }
            #expect(outcome.retryAfter == example.retryAfter)
            #expect(outcome.responseExcerpt == (example.body.isEmpty ? nil : example.body))
        }

        @Test func theSecretIsMaskedInReasonsAndExcerpts() {
            let body = #"{"message":"token \#(F.secret) is expired","echo":{"token":"\#(F.secret)"}}"#
            let outcome = DeliveryClassifier.classify(
                DeliveryResponse(status: 401, text: body),
                destination: F.destination(.momence),
                scrubber: SecretScrubber(secret: F.secret)
            )
            #expect(outcome.reason == "HTTP 401: token [redacted] is expired")
            #expect(outcome.responseExcerpt?.contains(F.secret) == false)
            #expect(outcome.responseExcerpt?.contains("[redacted]") == true)
        }

        @Test func excerptsAreTrimmedOnACharacterBoundary() {
            let body = String(repeating: "é", count: 2_000)
            let outcome = DeliveryClassifier.classify(DeliveryResponse(status: 500, text: body), destination: F.destination(.http))
            let excerpt = outcome.responseExcerpt ?? ""
            #expect(excerpt.utf8.count <= 1_024 + "…".utf8.count)
            #expect(excerpt.hasSuffix("…"))
            #expect(excerpt.dropLast().allSatisfy { $0 == "é" })
            #expect((outcome.reason?.utf8.count ?? 0) <= DeliveryClassifier.reasonLimit + "…".utf8.count)
        }
    }
}
