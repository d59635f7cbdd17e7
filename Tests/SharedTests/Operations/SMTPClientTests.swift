import Foundation
import Shared
import TestSupport
import Testing

@Suite("SMTP client")
struct SMTPClientTests {
    func client(port: Int, credentials: String = "") throws -> SMTPClient {
        let configuration = try SMTPConfiguration(url: "smtp://\(credentials)127.0.0.1:\(port)", from: "digest@leadrelay.test")
        // A hang guard, not a speed check: the whole suite shares two cores, and a session took over
        // 10 s there while the fuzz and hostile-input suites ran (alone: 20 ms).
        return SMTPClient(configuration: configuration, logger: TestEnvironment.logger, timeout: .seconds(60))
    }

    @Test func sendsOverTCPWithAuthPlainAndDotStuffing() async throws {
        try await SMTPStandIn.withRunning { server in
            let body = "Hello,\n.hidden line\n..two dots\n.\nlast line"
            let message = SMTPMessage(
                from: "digest@leadrelay.test",
                to: ["owner@acme.test", "ops@acme.test"],
                subject: "Daily digest",
                body: body,
                date: Date(timeIntervalSince1970: 1_790_000_000),
                messageId: "<m-1@leadrelay.test>"
            )
            try await client(port: server.port, credentials: "digest%40leadrelay.test:s3cr%3At@").send([message])

            let received = try #require(server.messages.first)
            #expect(server.messages.count == 1)
            #expect(received.helo == "leadrelay.test")
            #expect(received.authenticatedAs?.user == "digest@leadrelay.test")
            #expect(received.authenticatedAs?.password == "s3cr:t")
            #expect(received.mailFrom == "digest@leadrelay.test")
            #expect(received.recipients == ["owner@acme.test", "ops@acme.test"])
            #expect(received.header("From") == "digest@leadrelay.test")
            #expect(received.header("To") == "owner@acme.test, ops@acme.test")
            #expect(received.header("Subject") == "Daily digest")
            #expect(received.header("Date") == "Mon, 21 Sep 2026 14:13:20 +0000")
            #expect(received.header("Message-ID") == "<m-1@leadrelay.test>")
            #expect(received.header("Content-Type") == "text/plain; charset=utf-8")
            #expect(received.header("Content-Transfer-Encoding") == "7bit")
            #expect(received.body == "Hello,\r\n.hidden line\r\n..two dots\r\n.\r\nlast line")
            #expect(received.rawLines.suffix(5) == ["Hello,", "..hidden line", "...two dots", "..", "last line"], "dot-stuffed on the wire")
            #expect(received.text + "\r\n" == message.rendered)
            #expect(server.commands.first == "EHLO leadrelay.test")
            #expect(server.commands.last == "QUIT")
        }
    }

    @Test func sendsSeveralMessagesInOneSessionWithoutAuthWhenNoCredentials() async throws {
        try await SMTPStandIn.withRunning { server in
            let messages = ["a@acme.test", "b@acme.test"].map {
                SMTPMessage(from: "digest@leadrelay.test", to: [$0], subject: "For \($0)", body: "Hi \($0)")
            }
            try await client(port: server.port).send(messages)
            #expect(server.messages.map(\.recipients) == [["a@acme.test"], ["b@acme.test"]])
            #expect(server.messages.map { $0.header("Subject") } == ["For a@acme.test", "For b@acme.test"])
            #expect(server.messages.allSatisfy { $0.authenticatedAs == nil })
            #expect(!server.commands.contains { $0.uppercased().hasPrefix("AUTH") })
            #expect(server.commands.filter { $0 == "DATA" }.count == 2)
        }
    }

    @Test func encodesNonASCIIAndKeepsHeadersOnOneLine() async throws {
        try await SMTPStandIn.withRunning { server in
            let message = SMTPMessage(
                from: "digest@leadrelay.test",
                to: ["owner@acme.test"],
                subject: "Grüße\r\nBcc: evil@example.com",
                body: "Zürich: 3 leads\n"
            )
            try await client(port: server.port).send([message])
            let received = try #require(server.messages.first)
            #expect(received.header("Bcc") == nil)
            let subject = try #require(received.header("Subject"))
            #expect(subject.hasPrefix("=?UTF-8?B?") && subject.hasSuffix("?="))
            let encoded = String(subject.dropFirst(10).dropLast(2))
            #expect(Data(base64Encoded: encoded).map { String(decoding: $0, as: UTF8.self) } == "Grüße  Bcc: evil@example.com")
            #expect(received.header("Content-Transfer-Encoding") == "base64")
            let decoded = Data(base64Encoded: received.body.replacingOccurrences(of: "\r\n", with: ""))
            #expect(decoded.map { String(decoding: $0, as: UTF8.self) } == "Zürich: 3 leads\n")
        }
    }

    @Test func reportsTheStepTheServerRefused() async throws {
        try await SMTPStandIn.withRunning(rejectRecipients: ["nobody@acme.test"]) { server in
            let message = SMTPMessage(from: "digest@leadrelay.test", to: ["nobody@acme.test"], subject: "x", body: "x")
            let error = await #expect(throws: SMTPError.self) { try await client(port: server.port).send([message]) }
            #expect(
                error?.description == "the server answered 550 5.1.1 <nobody@acme.test>: Recipient address rejected to RCPT TO:<nobody@acme.test>"
            )
            #expect(server.messages.isEmpty)
        }
    }

    @Test func failsClearlyWhenNothingListens() async throws {
        // A port that was just free: connecting is refused.
        let port = try await SMTPStandIn.withRunning { $0.port }
        let message = SMTPMessage(from: "digest@leadrelay.test", to: ["owner@acme.test"], subject: "x", body: "x")
        await #expect(throws: (any Error).self) { try await client(port: port).send([message]) }
    }

    @Test(arguments: [
        ("smtp://mail.example.com", "mail.example.com", 25, false, nil as String?, nil as String?),
        ("smtp://user:p%40ss@mail.example.com:2525", "mail.example.com", 2525, false, "user", "p@ss"),
        ("smtps://relay.example.com", "relay.example.com", 465, true, nil, nil),
        ("SMTPS://u:pw@10.0.0.5:1465", "10.0.0.5", 1465, true, "u", "pw"),
    ])
    func parsesSMTPURL(_ url: String, _ host: String, _ port: Int, _ tls: Bool, _ user: String?, _ password: String?) throws {
        let configuration = try SMTPConfiguration(url: url, from: "Digest@LeadRelay.TEST")
        #expect(configuration.host == host)
        #expect(configuration.port == port)
        #expect(configuration.implicitTLS == tls)
        #expect(configuration.username == user)
        #expect(configuration.password == password)
        #expect(configuration.from == "Digest@leadrelay.test")
    }

    @Test func rejectsMalformedSettingsNamingTheVariable() throws {
        #expect(throws: ConfigurationError(variable: "SMTP_URL", expected: "must look like smtp://user:password@host:port or smtps://…")) {
            try SMTPConfiguration(url: "http://mail.example.com", from: "a@b.co")
        }
        #expect(throws: ConfigurationError(variable: "SMTP_FROM", expected: "must be an email address, e.g. digest@example.com")) {
            try SMTPConfiguration(url: "smtp://mail.example.com", from: "not an address")
        }
        #expect(try SMTPConfiguration(environment: EnvironmentValues([:])) == nil)
        #expect(throws: ConfigurationError.self) { try SMTPConfiguration(environment: EnvironmentValues(["SMTP_URL": "smtp://m.example.com"])) }
    }
}
