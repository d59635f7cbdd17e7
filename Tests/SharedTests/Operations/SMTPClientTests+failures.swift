import Foundation
import NIOCore
import Shared
import TestSupport
import Testing

extension SMTPClientTests {
    @Test func authenticatesWithLoginWhenPlainIsNotOffered() async throws {
        try await SMTPStandIn.withRunning(authMechanisms: ["LOGIN"]) { server in
            try await client(port: server.port, credentials: "digest%40leadrelay.test:s3cr%3At@").send([Self.plainMessage])
            let received = try #require(server.messages.first)
            #expect(received.authMechanism == "LOGIN")
            #expect(received.authenticatedAs?.user == "digest@leadrelay.test")
            #expect(received.authenticatedAs?.password == "s3cr:t")
        }
    }

    @Test func prefersPlainWhenBothAreOffered() async throws {
        try await SMTPStandIn.withRunning(authMechanisms: ["LOGIN", "PLAIN"]) { server in
            try await client(port: server.port, credentials: "u:p@").send([Self.plainMessage])
            #expect(server.messages.map(\.authMechanism) == ["PLAIN"])
        }
    }

    @Test(arguments: [[String](), ["CRAM-MD5", "XOAUTH2"]])
    func failsClearlyWithoutAMechanismItSpeaks(_ offered: [String]) async throws {
        try await SMTPStandIn.withRunning(authMechanisms: offered) { server in
            let error = await #expect(throws: SMTPError.self) {
                try await client(port: server.port, credentials: "u:p@").send([Self.plainMessage])
            }
            #expect(error?.step == .authentication)
            #expect(error?.kind == .permanent)
            #expect(error?.description.contains("PLAIN or LOGIN") == true)
            #expect(server.messages.isEmpty)
        }
    }

    /// A scripted refusal at each step, with the code, kind and step a caller classifies on.
    @Test(arguments: [
        (SMTPStandIn.Step.recipient, "450 4.2.1 Mailbox busy, try later", 450, SMTPError.Kind.transient, SMTPError.Step.recipient),
        (.mailFrom, "550 5.7.1 Sender not allowed", 550, .permanent, .sender),
        (.authentication, "535 5.7.8 Authentication credentials invalid", 535, .credentialsRejected, .authentication),
        (.data, "451 4.3.0 Local error", 451, .transient, .data),
        (.message, "554 5.6.0 Message rejected as spam", 554, .permanent, .message),
    ])
    func reportsTheServersCode(
        _ at: SMTPStandIn.Step,
        _ reply: String,
        _ code: Int,
        _ kind: SMTPError.Kind,
        _ step: SMTPError.Step
    )
        async throws
    {
        for mechanism in at == .authentication ? ["PLAIN", "LOGIN"] : ["PLAIN"] {
            try await SMTPStandIn.withRunning(authMechanisms: [mechanism], replies: [at: reply]) { server in
                let error = await #expect(throws: SMTPError.self) {
                    try await client(port: server.port, credentials: "agent:hunter2@").send([Self.plainMessage])
                }
                #expect(error?.code == code)
                #expect(error?.kind == kind)
                #expect(error?.step == step)
                #expect(error?.text == String(reply.dropFirst(4)))
                #expect(error?.description.contains("hunter2") == false)
                #expect(error?.description.contains(Data("hunter2".utf8).base64EncodedString()) == false)
                #expect(server.messages.isEmpty)
            }
        }
    }

    @Test(arguments: ["dana@example.com\r\nRCPT TO:<evil@example.com>", "<dana@example.com>", "dana", "דנה@example.com"])
    func refusesARecipientThatWouldBreakTheCommand(_ recipient: String) async throws {
        try await SMTPStandIn.withRunning { server in
            let message = SMTPMessage(from: "leads@acme.test", to: [recipient], subject: "x", body: "x")
            let error = await #expect(throws: SMTPError.self) { try await client(port: server.port).send([message]) }
            #expect(error?.step == .recipient)
            #expect(error?.kind == .permanent)
            #expect(server.commands.isEmpty, "refused before connecting")
        }
    }

    /// Answers fixed addresses for some names, like a DNS server the test controls.
    struct FixedResolver: HostResolving {
        var answers: [String: [String]]
        func addresses(of host: String) async throws -> [SocketAddress] {
            guard let texts = answers[host] else { throw HostLookupError(host: host, reason: "not in the test's answers") }
            return try texts.map { try SocketAddress(ipAddress: $0, port: 0) }
        }
    }

    @Test(arguments: ["127.0.0.1", "localhost", "mail.acme.test", "::1"])
    func refusesAPrivateServerUnlessAllowed(_ host: String) async throws {
        try await SMTPStandIn.withRunning { server in
            let checker = OutboundTargetChecker(
                policy: .publicOnly,
                resolver: FixedResolver(answers: ["mail.acme.test": ["127.0.0.1"], "localhost": ["127.0.0.1"]])
            )
            let configuration = SMTPConfiguration(host: host, port: server.port, tls: .none, from: "leads@acme.test")
            let refused = SMTPClient(configuration: configuration, logger: TestEnvironment.logger, outboundChecker: checker)
            await #expect(throws: OutboundRefusal.self) { try await refused.send([Self.plainMessage]) }
            #expect(server.commands.isEmpty, "nothing reached the server")
            guard host != "::1" else { return }  // the stand-in listens on IPv4 only
            let allowed = SMTPClient(
                configuration: configuration,
                logger: TestEnvironment.logger,
                outboundChecker: checker,
                allowPrivateNetwork: true
            )
            try await allowed.send([Self.plainMessage])
            #expect(server.messages.count == 1)
        }
    }
}

extension SMTPClientTests {
    @Test(arguments: [
        (421, SMTPError.Kind.transient), (450, .transient), (451, .transient), (452, .transient),
        (535, .credentialsRejected), (550, .permanent), (553, .permanent), (554, .permanent), (530, .permanent),
    ])
    func classifiesReplyCodes(_ code: Int, _ kind: SMTPError.Kind) {
        #expect(SMTPError.kind(ofReplyCode: code) == kind)
    }

    @Test func reportsAServerThatCannotStartTLSNow() async throws {
        let certificate = try SMTPStandIn.Certificate()
        try await SMTPStandIn.withRunning(tls: .starttls(certificate), replies: [.startTLS: "454 4.7.0 TLS not available"]) { server in
            let error = await #expect(throws: SMTPError.self) {
                try await client(port: server.port, tls: .starttls, trusting: certificate).send([Self.plainMessage])
            }
            #expect(error?.step == .startTLS)
            #expect(error?.code == 454)
            #expect(error?.kind == .transient)
            #expect(!server.commands.contains { $0.uppercased().hasPrefix("AUTH") || $0.uppercased().hasPrefix("MAIL") })
        }
    }

    /// A server that says 220 to STARTTLS and then never answers the ClientHello: the session's
    /// time limit ends the handshake's wait and the client reports the timeout. Before the wait was
    /// cancellable it waited forever, time limit or not.
    @Test(.timeLimit(.minutes(1)))
    func aServerThatNeverAnswersTheTLSHandshakeTimesOut() async throws {
        let certificate = try SMTPStandIn.Certificate()
        try await SMTPStandIn.withRunning(tls: .starttls(certificate), stallsTLSHandshake: true) { server in
            var client = client(port: server.port, tls: .starttls, trusting: certificate)
            client.timeout = .seconds(2)
            let started = ContinuousClock.now
            let error = await #expect(throws: TimeoutError.self) { try await client.send([Self.plainMessage]) }
            #expect(error?.limit == .seconds(2))
            #expect(ContinuousClock.now - started < .seconds(30), "the limit, not the stand-in's end, stopped it")
            #expect(server.messages.isEmpty)
        }
    }

    /// Bytes after the 220 arrived in clear text: a man in the middle could have put them there
    /// to be read as answers after TLS (CVE-2011-0411), so the client stops.
    @Test func refusesRepliesInjectedBeforeTLS() async throws {
        let certificate = try SMTPStandIn.Certificate()
        let injected = "220 2.0.0 Ready to start TLS\r\n250-smtp-stand-in greets you\r\n250 AUTH PLAIN"
        try await SMTPStandIn.withRunning(tls: .starttls(certificate), replies: [.startTLS: injected]) { server in
            let error = await #expect(throws: SMTPError.self) {
                try await client(port: server.port, tls: .starttls, trusting: certificate).send([Self.plainMessage])
            }
            #expect(error?.step == .startTLS)
            #expect(error?.kind == .permanent)
            #expect(server.commands == ["EHLO acme.test", "STARTTLS"])
        }
    }
}
