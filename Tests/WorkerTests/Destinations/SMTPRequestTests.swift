import Foundation
import NIOHTTP1
import Shared
import TestSupport
import Testing
import WorkerApp

extension Destinations {
    @Suite("SMTP request builder and reply classification")
    struct SMTPRequestTests {
        typealias F = DestinationFixtures
        static let config: [String: JSONValue] = [
            "host": .string("smtp.studio.example"), "tls": .string("starttls"), "username": .string("leads@studio.example"),
            "from": .string("leads@studio.example"), "from_name": .string("Studio"), "reply_to": .string("replies@in.studio.example"),
            "subject": .string("שלום {{first_name}}"), "text": .string("Hi {{first_name}} & welcome"),
        ]

        static func build(
            _ lead: DeliveryLead,
            config: [String: JSONValue] = config,
            secret: String? = F.secret
        )
            throws(DeliveryBuildError) -> DeliveryRequest
        {
            try DestinationRequestBuilder.build(lead: lead, destination: F.destination(.smtp, config: config), secret: secret)
        }

        @Test func aLeadBecomesASubmissionWithAStableMessageId() throws {
            var lead = F.lead
            lead.deliveryId = 991
            let request = try Self.build(lead)
            guard case .smtp(let submission) = request.transport else {
                Issue.record("not an SMTP submission: \(request)")
                return
            }
            #expect(submission.configuration.host == "smtp.studio.example")
            #expect(submission.configuration.port == 587 && submission.configuration.tls == .starttls)
            #expect(submission.configuration.username == "leads@studio.example" && submission.configuration.password == F.secret)
            #expect(submission.message.to == ["jane@example.com"] && submission.message.from == "leads@studio.example")
            #expect(submission.message.messageId == "<leadrelay.d991.l42@studio.example>")
            #expect(submission.message.replyTo == "replies@in.studio.example")
            #expect(submission.message.listUnsubscribe == "<mailto:replies@in.studio.example?subject=unsubscribe>")
            #expect(Array(submission.message.subject.utf8) == Array("שלום Jane".utf8))
            #expect(submission.message.body == "Hi Jane & welcome")
            #expect(try Self.build(lead).transportMessageId == submission.message.messageId, "the same on every attempt")
            #expect(request.url == "smtp://smtp.studio.example:587")
            #expect(!request.redactedDescription.contains(F.secret), "\(request.redactedDescription)")
            #expect(!request.redactedDescription.contains("jane@"), "\(request.redactedDescription)")
            #expect(request.redactedDescription.contains("•••@example.com"))
            #expect(request.message?.channel == .email)
        }

        @Test func withoutAUserThereIsNoAuthentication() throws {
            var config = Self.config
            config["username"] = nil
            config["tls"] = .string("none")
            let request = try Self.build(F.lead, config: config, secret: nil)
            guard case .smtp(let submission) = request.transport else {
                Issue.record("not SMTP")
                return
            }
            #expect(submission.configuration.username == nil && submission.configuration.password == nil)
            #expect(submission.configuration.port == 25)
        }

        @Test(arguments: [
            BadConfig(change: ["tls": .string("ssl")], message: "tls must be starttls, implicit or none"),
            BadConfig(change: ["port": .number(70_000)], message: "port must be 1 to 65535"),
            BadConfig(change: ["host": nil], message: "host"),
            BadConfig(change: ["text": .string("{{unknown}}")], message: "unknown field {{unknown}}"),
            BadConfig(change: ["from": .string("leads")], message: "from must be a plain email address"),
        ])
        func aBadConfigIsRefusedWhenSavedWithTheField(_ example: BadConfig) throws {
            try F.expectRefused(example, kind: .smtp, base: Self.config)
        }

        struct Reply: Sendable, CustomTestStringConvertible {
            var code: Int
            var step: SMTPError.Step
            var outcome: String
            var errorClass: DeliveryErrorClass?
            var testDescription: String { "\(code) to \(step) → \(outcome)" }
        }

        @Test(arguments: [
            Reply(code: 250, step: .message, outcome: "succeeded", errorClass: nil),
            Reply(code: 421, step: .greeting, outcome: "retryable", errorClass: .retryableStatus),
            Reply(code: 450, step: .recipient, outcome: "retryable", errorClass: .retryableStatus),
            Reply(code: 451, step: .message, outcome: "retryable", errorClass: .retryableStatus),
            Reply(code: 452, step: .recipient, outcome: "retryable", errorClass: .retryableStatus),
            Reply(code: 535, step: .authentication, outcome: "retryable", errorClass: .credentialRejected),
            Reply(code: 534, step: .authentication, outcome: "retryable", errorClass: .credentialRejected),
            Reply(code: 550, step: .recipient, outcome: "permanent", errorClass: .invalidLead),
            Reply(code: 554, step: .message, outcome: "permanent", errorClass: .clientError),
            Reply(code: 553, step: .sender, outcome: "permanent", errorClass: .configuration),
        ])
        func repliesAreClassifiedByCodeAndStep(_ reply: Reply) throws {
            var response = DeliveryResponse(
                status: reply.code,
                headers: HTTPHeaders([("X-LeadRelay-SMTP-Step", reply.step.rawValue)]),
                text: "5.1.1 <jane@example.com>: no such user"
            )
            if reply.code == 250 { response.headers.add(name: "Message-ID", value: "<leadrelay.d1.l2@studio.example>") }
            let adapter = try #require(DestinationRegistry.adapter(for: .smtp))
            let outcome = adapter.classify(
                response,
                destination: F.destination(.smtp, config: Self.config),
                scrubber: SecretScrubber(secret: F.secret),
                excerptLimit: 1_024,
                now: Date()
            )
            #expect(outcome.name == reply.outcome, "\(outcome)")
            #expect(outcome.errorClass == reply.errorClass)
            if reply.code == 250 { #expect(outcome.externalId == "<leadrelay.d1.l2@studio.example>") }
            if reply.code >= 400 { #expect(outcome.reason?.contains("\(reply.code)") == true) }
        }

        @Test(arguments: [
            (SMTPError(step: .startTLS, kind: .permanent, "the server does not offer STARTTLS"), "permanent", DeliveryErrorClass.configuration),
            (SMTPError(step: .connection, kind: .transient, "the connection closed"), "retryable", .connection),
            (SMTPError(step: .recipient, kind: .permanent, "\"é@x\" cannot be sent"), "permanent", .invalidLead),
        ])
        func sessionFailuresWithoutAReplyAreClassified(_ error: SMTPError, _ outcome: String, _ errorClass: DeliveryErrorClass) {
            let classified = DeliveryClassifier.classify(error: error)
            #expect(classified.name == outcome && classified.errorClass == errorClass, "\(classified)")
        }
    }
}

extension DeliveryRequest {
    /// The Message-ID of an SMTP submission.
    fileprivate var transportMessageId: String? {
        if case .smtp(let submission) = transport { return submission.message.messageId }
        return nil
    }
}
