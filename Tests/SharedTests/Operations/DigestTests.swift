import Foundation
import PostgresNIO
import Shared
import TestSupport
import Testing

@Suite("Digest")
struct DigestTests {
    /// The web form's section of the digest.
    static let formSection = [
        "Web form (Acme)",
        "  new leads: 4 (accepted 3, duplicates 0, spam 1)",
        "  deliveries: succeeded 1, dead 1, retrying 1",
        "  top errors:",
        "    3× HTTP 503",
        "    2× timeout",
        "    1× HTTP 422: bad",
    ]

    /// Acme (notification owner@acme.test) with a form (its own address forms@acme.test), an import
    /// source and a webhook; Bravo with a source and no address anywhere.
    func seed(_ fixture: OperationsFixture) async throws -> (acme: Tenant, bravo: Tenant) {
        let acme = try await fixture.tenant("Acme", notificationEmail: "owner@acme.test")
        let crm = try await fixture.destination(acme, "CRM")
        let form = try await fixture.source(acme, "Web form", kind: .form, destinations: [crm], notificationEmail: "forms@acme.test")
        let imports = try await fixture.source(acme, "Import", kind: .csv)
        let hooks = try await fixture.source(acme, "Hooks", kind: .api)
        var leads: [(id: Int64, deliveries: [Int64])] = []
        for index in 1...3 {
            leads.append(try await fixture.lead([.email: "l\(index)@example.com"], source: form, tenant: acme))
        }
        try await fixture.lead([.email: "spam@example.com"], source: form, tenant: acme, spam: true)
        let old = try await fixture.lead([.email: "old@example.com"], source: form, tenant: acme)
        try await fixture.age(leadId: old.id, by: 2 * 86_400)
        try await fixture.finish(leads[0].deliveries[0], status: "succeeded", externalId: "c-1")
        try await fixture.finish(leads[1].deliveries[0], status: "dead", error: "HTTP 422: bad")
        try await fixture.finish(leads[2].deliveries[0], status: "retrying", error: "HTTP 503")
        let now = Date()
        for (number, message) in ["HTTP 503", "HTTP 503", "HTTP 503", "timeout", "timeout", "HTTP 422: bad"].enumerated() {
            try await fixture.attempt(leads[2].deliveries[0], number: number + 1, outcome: "retryable", message: message, startedAt: now)
        }
        try await fixture.attempt(leads[0].deliveries[0], number: 1, outcome: "succeeded", httpStatus: 200, startedAt: now)
        for number in 1...5 {
            try await fixture.attempt(
                old.deliveries[0],
                number: number,
                outcome: "permanent",
                message: "ancient error",
                startedAt: now.addingTimeInterval(-3 * 86_400)
            )
        }
        try await fixture.lead([.email: "imported@example.com"], source: imports, tenant: acme)
        try await fixture.client.execute(
            """
            INSERT INTO imports (tenant_id, source_id, status, rows_total, accepted, duplicates) VALUES (\(acme.id), \(imports.id), 'completed', 5, 1, 4)
            """,
            logger: fixture.logger
        )
        for _ in 1...2 {
            try await fixture.client.execute(
                """
                INSERT INTO inbound_events (tenant_id, source_id, method, outcome) VALUES (\(acme.id), \(hooks.id), 'POST', 'duplicate')
                """,
                logger: fixture.logger
            )
        }
        let bravo = try await fixture.tenant("Bravo")
        let bravoSource = try await fixture.source(bravo, "B form")
        try await fixture.lead([.email: "b@example.com"], source: bravoSource, tenant: bravo)
        return (acme, bravo)
    }

    @Test func countsLeadsDeliveriesAndTopErrorsPerSourceWithinTheWindow() async throws {
        try await OperationsFixture.run { fixture in
            let (acme, bravo) = try await seed(fixture)
            let report = try await Digest(client: fixture.client, logger: fixture.logger)
                .build(since: Date().addingTimeInterval(-86_400), tenantId: nil)
            #expect(report.sources.map(\.sourceName) == ["Hooks", "Import", "Web form", "B form"])
            let bySource = Dictionary(report.sources.map { ($0.sourceName, $0) }, uniquingKeysWith: { first, _ in first })
            let form = try #require(bySource["Web form"])
            #expect(form.tenantId == acme.id)
            #expect(form.recipient == "forms@acme.test")
            #expect([form.newLeads, form.accepted, form.duplicates, form.spam] as [Int] == [4, 3, 0, 1])
            #expect([form.succeeded, form.dead, form.retrying] as [Int] == [1, 1, 1])
            #expect(
                form.topErrors == [
                    DigestErrorCount(reason: "HTTP 503", count: 3), DigestErrorCount(reason: "timeout", count: 2),
                    DigestErrorCount(reason: "HTTP 422: bad", count: 1),
                ]
            )
            let imports = try #require(bySource["Import"])
            #expect([imports.newLeads, imports.accepted, imports.duplicates, imports.spam] as [Int] == [1, 1, 4, 0])
            #expect(imports.recipient == "owner@acme.test", "the tenant's address when the source has none")
            let hooks = try #require(bySource["Hooks"])
            #expect([hooks.newLeads, hooks.duplicates] as [Int] == [0, 2])
            #expect(hooks.topErrors.isEmpty)
            let bravoSource = try #require(bySource["B form"])
            #expect(bravoSource.tenantId == bravo.id)
            #expect(bravoSource.recipient == nil)
            #expect(bravoSource.newLeads == 1)

            let onlyBravo = try await Digest(client: fixture.client, logger: fixture.logger)
                .build(since: Date().addingTimeInterval(-86_400), tenantId: bravo.id)
            #expect(Set(onlyBravo.sources.map(\.tenantId)) == [bravo.id])
            #expect(form.textLines == Self.formSection)
        }
    }

    @Test func emailsEachNotificationAddressItsSourcesSections() async throws {
        try await OperationsFixture.run { fixture in
            let (acme, _) = try await seed(fixture)
            let report = try await Digest(client: fixture.client, logger: fixture.logger)
                .build(since: Date().addingTimeInterval(-86_400), tenantId: acme.id)
            try await SMTPStandIn.withRunning { server in
                let configuration = try SMTPConfiguration(url: "smtp://digest:s3cret@127.0.0.1:\(server.port)", from: "digest@leadrelay.test")
                let outcome = try await DigestMailer(smtp: SMTPClient(configuration: configuration, logger: fixture.logger)).send(report)
                let acmeSources = report.sources.map(\.sourceName).filter { $0 != "Web form" }
                #expect(outcome.sent == ["forms@acme.test": ["Web form"], "owner@acme.test": acmeSources])
                #expect(outcome.unaddressed.isEmpty)

                let messages = server.messages
                #expect(messages.map(\.recipients) == [["forms@acme.test"], ["owner@acme.test"]])
                #expect(messages.allSatisfy { $0.mailFrom == "digest@leadrelay.test" && $0.authenticatedAs?.user == "digest" })
                let forms = try #require(messages.first)
                #expect(forms.header("Subject") == "LeadRelay digest: 4 new leads, 1 dead delivery")
                #expect(forms.header("To") == "forms@acme.test")
                #expect(forms.header("Content-Transfer-Encoding") == "base64", "× is not ASCII")
                let lines = Self.decodedBody(forms).components(separatedBy: "\n")
                #expect(lines.first?.hasPrefix("LeadRelay digest ") == true)
                #expect(Array(lines.dropFirst()) == [""] + Self.formSection + [""])
                let owner = try #require(messages.last)
                #expect(owner.header("Subject") == "LeadRelay digest: 1 new lead, 0 dead deliveries")
                let ownerBody = Self.decodedBody(owner)
                #expect(ownerBody.contains("Import (Acme)\n  new leads: 1 (accepted 1, duplicates 4, spam 0)\n"))
                #expect(ownerBody.contains("Hooks (Acme)\n  new leads: 0 (accepted 0, duplicates 2, spam 0)\n"))
                #expect(!ownerBody.contains("Web form"))
            }
        }
    }

    /// A received message's body as text with LF line ends (base64 decoded when so encoded).
    static func decodedBody(_ message: SMTPStandIn.Message) -> String {
        guard message.header("Content-Transfer-Encoding") == "base64" else { return message.body.replacingOccurrences(of: "\r\n", with: "\n") }
        let data = Data(base64Encoded: message.body.replacingOccurrences(of: "\r\n", with: "")) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
