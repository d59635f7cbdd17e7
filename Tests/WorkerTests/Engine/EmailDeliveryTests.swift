import Foundation
import PostgresNIO
import Shared
import TestSupport
import Testing
import WorkerApp

@Suite("Email deliveries (SendGrid and SMTP)")
struct EmailDeliveryTests {
    static let content: [String: JSONValue] = [
        "from": .string("leads@studio.example"), "from_name": .string("Studio"), "reply_to": .string("replies@in.studio.example"),
        "subject": .string("שלום {{first_name}} 👋🏽"), "text": .string("שלום {{first_name}}, תודה שפנית ל{{tenant_name}}"),
        "html": .string("<p>שלום {{first_name}}</p>"),
    ]
    static let expectedSubject = Array("שלום דָּנִי 👋🏽".utf8)
    static let expectedText = Array("שלום דָּנִי, תודה שפנית לWorker tenant".utf8)

    static let leads = [
        LeadInput(fields: [.firstName: "דָּנִי", .lastName: "Levi", .email: "dani@example.co.il"]),
        LeadInput(fields: [.firstName: "NoMail", .phone: "+12015550177"]),
    ]

    @Test func aSendGridMailCarriesTheLeadByteExactAndItsMessageIdBecomesTheExternalId() async throws {
        try await CRMStandIn.withRunning { sendGrid in
            sendGrid.setDefault(.json(202, "", headers: [(name: "X-Message-Id", value: "W0aZ1bC2dE")]))
            try await WorkerTestHarness.run { harness in
                let (_, source) = try await harness.destination(
                    .sendGrid,
                    baseURL: nil,
                    config: Self.content.merging(["api_base_url": .string(sendGrid.baseURL)]) { $1 }
                )
                try await harness.ingest(Self.leads, source: source)
                let counts = try await harness.withWorkers { _ in try await harness.waitForStatuses { $0["succeeded"] == 1 && $0["skipped"] == 1 } }
                #expect(counts == ["succeeded": 1, "skipped": 1])
                #expect(sendGrid.requests.count == 1, "the lead without an email is skipped without a call")
                let request = try #require(sendGrid.requests.first)
                #expect(request.method == "POST" && request.path == "/v3/mail/send")
                #expect(request.header("Authorization") == "Bearer token-123")
                let body = try #require(try JSONValue.parse(request.body).objectMembers)
                #expect(Array(body["subject"]?.scalarText?.utf8 ?? "".utf8) == Self.expectedSubject)
                guard case .array(let parts)? = body["content"], case .array(let personalizations)? = body["personalizations"] else {
                    Issue.record("content or personalizations missing: \(body)")
                    return
                }
                #expect(Array(parts.first?.objectMembers?["value"]?.scalarText?.utf8 ?? "".utf8) == Self.expectedText)
                let delivery = try await harness.count("SELECT id::int FROM deliveries WHERE status = 'succeeded'")
                #expect(personalizations.first?.objectMembers?["custom_args"]?.objectMembers?["delivery_id"] == .string("\(delivery)"))
                let row = try await harness.stores.postgres.query(
                    """
                    SELECT d.external_id, m.channel, m.address, m.sender, l.stage
                    FROM deliveries d JOIN messages m ON m.delivery_id = d.id JOIN leads l ON l.id = d.lead_id
                    WHERE d.id = \(delivery)
                    """
                ).decode((String?, String, String, String, String).self).rows()
                #expect(row.first?.0 == "W0aZ1bC2dE")
                #expect(row.first?.1 == "email" && row.first?.2 == "dani@example.co.il" && row.first?.3 == "leads@studio.example")
                #expect(row.first?.4 == "contacted")
                #expect(
                    try await harness.count("SELECT count(*)::int FROM deliveries WHERE status = 'skipped' AND last_error_class = 'no_address'") == 1
                )
            }
        }
    }

    @Test func anOptedOutAddressIsSkippedWhateverTheCaseOfTheLeadsEmail() async throws {
        try await CRMStandIn.withRunning { sendGrid in
            sendGrid.setDefault(.json(202, "", headers: [(name: "X-Message-Id", value: "W0aZ1bC2dE")]))
            try await WorkerTestHarness.run { harness in
                let config = Self.content.merging(["api_base_url": .string(sendGrid.baseURL)]) { $1 }
                let (_, source) = try await harness.destination(.sendGrid, baseURL: nil, config: config)
                let optOuts = OptOutStore(client: harness.stores.postgres, logger: harness.logger)
                let changed = try await optOuts.set(
                    true,
                    tenantId: harness.tenant.id,
                    channel: .email,
                    address: "dana@example.com",
                    cause: "keyword",
                    actor: "test"
                )
                #expect(changed)
                try await harness.ingest([LeadInput(fields: [.firstName: "Dana", .email: "Dana@Example.com"])], source: source)
                let counts = try await harness.withWorkers { _ in try await harness.waitForStatuses { $0["skipped"] == 1 } }
                #expect(counts == ["skipped": 1])
                #expect(sendGrid.requests.isEmpty)
                #expect(try await harness.count("SELECT count(*)::int FROM deliveries WHERE last_error_class = 'opted_out'") == 1)
            }
        }
    }

    @Test func anSMTPMailGoesThroughSTARTTLSAndAUTHLOGINToARealServer() async throws {
        let certificate = try SMTPStandIn.Certificate()
        try await SMTPStandIn.withRunning(tls: .starttls(certificate), authMechanisms: ["LOGIN"]) { server in
            try await WorkerTestHarness.run { harness in
                let config = Self.content.merging([
                    "host": .string("127.0.0.1"), "port": .number(JSONNumber(server.port)), "tls": .string("starttls"),
                    "username": .string("leads@studio.example"), "trusted_certificate_pem": .string(certificate.pem),
                ]) { $1 }
                let (_, source) = try await harness.destination(.smtp, baseURL: nil, config: config)
                try await harness.ingest(Self.leads, source: source)
                let counts = try await harness.withWorkers { _ in try await harness.waitForStatuses { $0["succeeded"] == 1 && $0["skipped"] == 1 } }
                #expect(counts == ["succeeded": 1, "skipped": 1])
                let message = try #require(server.messages.first)
                #expect(server.messages.count == 1)
                #expect(message.overTLS && message.authMechanism == "LOGIN")
                #expect(message.authenticatedAs?.user == "leads@studio.example" && message.authenticatedAs?.password == "token-123")
                #expect(message.mailFrom == "leads@studio.example" && message.recipients == ["dani@example.co.il"])
                #expect(message.subjectBytes == Self.expectedSubject)
                #expect(message.header("Reply-To") == "replies@in.studio.example")
                #expect(message.header("List-Unsubscribe") == "<mailto:replies@in.studio.example?subject=unsubscribe>")
                let delivery = try await harness.count("SELECT id::int FROM deliveries WHERE status = 'succeeded'")
                let lead = try await harness.count("SELECT lead_id::int FROM deliveries WHERE status = 'succeeded'")
                let messageId = "<leadrelay.d\(delivery).l\(lead)@studio.example>"
                #expect(message.header("Message-ID") == messageId)
                #expect(message.parts.first?.bytes == Self.expectedText, "the text part, byte-exact")
                let external = try await harness.stores.postgres.query("SELECT external_id FROM deliveries WHERE id = \(delivery)")
                    .decode(String?.self).rows()
                #expect(external == [messageId])
            }
        }
    }

    @Test func aRefusedRecipientIsPermanentAndARefusedPasswordSuspendsTheDestination() async throws {
        try await SMTPStandIn.withRunning(rejectRecipients: ["gone@example.com"], authMechanisms: ["PLAIN"]) { server in
            try await WorkerTestHarness.run { harness in
                let server: [String: JSONValue] = ["host": "127.0.0.1", "port": .number(JSONNumber(server.port)), "tls": "none"]
                let base = Self.content.merging(server) { $1 }
                let (_, source) = try await harness.destination(.smtp, baseURL: nil, config: base)
                try await harness.ingest([LeadInput(fields: [.firstName: "Gone", .email: "gone@example.com"])], source: source)
                let counts = try await harness.withWorkers { _ in try await harness.waitForStatuses { $0["dead"] == 1 } }
                #expect(counts == ["dead": 1])
                let dead = try await harness.stores.postgres.query("SELECT last_error_class, last_error FROM deliveries")
                    .decode((String, String).self).rows()
                #expect(dead.first?.0 == "invalid_lead")
                #expect(dead.first?.1.contains("550") == true && dead.first?.1.contains("RCPT TO") == true, "\(dead)")
            }
        }
        try await SMTPStandIn.withRunning(authMechanisms: ["PLAIN"], replies: [.authentication: "535 5.7.8 Authentication credentials invalid"]) {
            server in
            try await WorkerTestHarness.run { harness in
                let config = Self.content.merging([
                    "host": .string("127.0.0.1"), "port": .number(JSONNumber(server.port)), "tls": .string("none"),
                    "username": .string("leads@studio.example"),
                ]) { $1 }
                let (destination, source) = try await harness.destination(.smtp, baseURL: nil, config: config) { $0.maxAttempts = 1 }
                let leads = (0..<5).map { LeadInput(fields: [.firstName: "L\($0)", .email: "l\($0)@example.com"]) }
                try await harness.ingest(leads, source: source)
                let counts = try await harness.withWorkers { _ in try await harness.waitForStatuses { $0["retrying"] == 5 } }
                #expect(counts == ["retrying": 5], "none dead although max_attempts is 1")
                #expect(server.messages.isEmpty)
                #expect(try await harness.count("SELECT count(*)::int FROM deliveries WHERE attempts = 0") == 5)
                let store = DestinationStore(client: harness.stores.postgres, logger: harness.logger)
                let suspended = try await store.find(destination.id.uuidString, tenantId: nil)
                #expect(suspended.suspendedAt != nil)
                #expect(suspended.suspendedReason?.contains("535") == true, "\(suspended.suspendedReason ?? "")")
                #expect(suspended.suspendedReason?.contains("token-123") == false)
            }
        }
    }
}
