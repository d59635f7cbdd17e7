import Foundation
import NIOCore
import Shared
import TestSupport
import Testing

extension SMTPClientTests {
    /// A client for the stand-in on 127.0.0.1 with `tls`, trusting `certificate`.
    func client(port: Int, tls: SMTPTransportSecurity, trusting certificate: SMTPStandIn.Certificate?) -> SMTPClient {
        var configuration = SMTPConfiguration(
            host: "127.0.0.1",
            port: port,
            tls: tls,
            username: "agent@acme.test",
            password: "pässword",
            from: "leads@acme.test"
        )
        configuration.additionalTrustRootsPEM = certificate.map { [$0.pem] } ?? []
        return SMTPClient(configuration: configuration, logger: TestEnvironment.logger, timeout: .seconds(60))
    }

    static let plainMessage = SMTPMessage(from: "leads@acme.test", to: ["dana@example.com"], subject: "New lead", body: "Call Dana")

    @Test func startTLSThenHelloAgainThenAuthenticatesOverTLS() async throws {
        let certificate = try SMTPStandIn.Certificate()
        try await SMTPStandIn.withRunning(tls: .starttls(certificate)) { server in
            let replies = try await client(port: server.port, tls: .starttls, trusting: certificate).send([Self.plainMessage])
            #expect(replies == [SMTPReply(code: 250, lines: ["2.0.0 Queued"])])
            let received = try #require(server.messages.first)
            #expect(received.overTLS)
            #expect(received.authMechanism == "PLAIN")
            #expect(received.authenticatedAs?.user == "agent@acme.test")
            #expect(received.authenticatedAs.map { Array($0.password.utf8) } == Array("pässword".utf8))
            #expect(received.recipients == ["dana@example.com"])
            #expect(Array(server.commands.prefix(3)) == ["EHLO acme.test", "STARTTLS", "EHLO acme.test"])
        }
    }

    @Test func implicitTLSFromTheFirstByte() async throws {
        let certificate = try SMTPStandIn.Certificate()
        try await SMTPStandIn.withRunning(tls: .implicit(certificate)) { server in
            try await client(port: server.port, tls: .implicit, trusting: certificate).send([Self.plainMessage])
            #expect(server.messages.map(\.overTLS) == [true])
            #expect(!server.commands.contains("STARTTLS"))
        }
    }

    @Test func refusesToContinueInClearTextWhenTheServerLacksSTARTTLS() async throws {
        try await SMTPStandIn.withRunning { server in
            let error = await #expect(throws: SMTPError.self) {
                try await client(port: server.port, tls: .starttls, trusting: nil).send([Self.plainMessage])
            }
            #expect(error?.step == .startTLS)
            #expect(error?.code == nil)
            #expect(error?.kind == .permanent)
            #expect(server.commands == ["EHLO acme.test"], "no AUTH, no MAIL in clear text")
        }
    }

    @Test(arguments: [SMTPTransportSecurity.starttls, .implicit])
    func refusesACertificateItDoesNotTrust(_ tls: SMTPTransportSecurity) async throws {
        let certificate = try SMTPStandIn.Certificate()
        let standInTLS: SMTPStandIn.TLS = tls == .starttls ? .starttls(certificate) : .implicit(certificate)
        try await SMTPStandIn.withRunning(tls: standInTLS) { server in
            let error = await #expect(throws: SMTPError.self) {
                try await client(port: server.port, tls: tls, trusting: nil).send([Self.plainMessage])
            }
            #expect(error?.step == .startTLS)
            #expect(error?.kind == .permanent)
            #expect(error?.description.hasPrefix("the TLS handshake with 127.0.0.1 failed: ") == true, "\(String(describing: error))")
            #expect(server.messages.isEmpty)
            #expect(!server.commands.contains { $0.uppercased().hasPrefix("AUTH") })
        }
    }

    @Test(arguments: [
        ("smtp://mail.example.com?tls=starttls", SMTPTransportSecurity.starttls, 587),
        ("smtp://mail.example.com:2587?TLS=STARTTLS", .starttls, 2587),
        ("smtp://mail.example.com?tls=implicit", .implicit, 465),
        ("smtps://mail.example.com", .implicit, 465),
        ("smtp://mail.example.com", .none, 25),
        ("smtp://mail.example.com?tls=none", .none, 25),
    ])
    func parsesTheTLSMode(_ url: String, _ tls: SMTPTransportSecurity, _ port: Int) throws {
        let configuration = try SMTPConfiguration(url: url, from: "digest@leadrelay.test")
        #expect(configuration.tls == tls)
        #expect(configuration.port == port)
        #expect(configuration.implicitTLS == (tls == .implicit))
    }

    @Test func rejectsAnUnknownTLSModeAndNeverShowsThePassword() throws {
        #expect(throws: ConfigurationError.self) { try SMTPConfiguration(url: "smtp://m.example.com?tls=maybe", from: "a@b.co") }
        #expect(throws: ConfigurationError.self) { try SMTPConfiguration(url: "smtps://m.example.com?tls=starttls", from: "a@b.co") }
        let configuration = try SMTPConfiguration(url: "smtp://u:hunter2@m.example.com?tls=starttls", from: "a@b.co")
        #expect(!"\(configuration)".contains("hunter2"))
        #expect("\(configuration)" == "SMTP u@m.example.com:587 (TLS: starttls) from a@b.co")
    }
}
