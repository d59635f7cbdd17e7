import AsyncHTTPClient
import Foundation
import NIOCore
import Shared
import TestSupport
import Testing
import WorkerApp

extension Destinations {
    /// Issue 21, item 3: a tenant's destination must not make the worker call internal addresses.
    /// Each test runs a stand-in on 127.0.0.1 and checks that nothing reached it when refused.
    @Suite("Private network refusal (SSRF)")
    struct PrivateNetworkRefusalTests {
        typealias F = DestinationFixtures

        /// Answers fixed addresses for some names, like a DNS server the test controls; other names
        /// go to the system resolver.
        struct FixedResolver: HostResolving {
            var answers: [String: [String]]
            func addresses(of host: String) async throws -> [SocketAddress] {
                guard let texts = answers[host] else { return try await SystemHostResolver().addresses(of: host) }
                return try texts.map { try SocketAddress(ipAddress: $0, port: 0) }
            }
        }

        static func withClient<T: Sendable>(
            _ answers: [String: [String]] = [:],
            _ body: (OutboundHTTPClient) async throws -> T
        ) async throws -> T {
            let client = OutboundHTTPClient(policy: .publicOnly, resolver: FixedResolver(answers: answers))
            do {
                let result = try await body(client)
                try await client.shutdown()
                return result
            } catch {
                try? await client.shutdown()
                throw error
            }
        }

        /// URLs a member could type, each leading to the stand-in on loopback one way or another.
        /// `127.1`, `2130706433` and `0x7f.1` are not IP literals to `inet_pton`, so they take the
        /// system resolver's path, which reads them as 127.0.0.1.
        static let loopbackURLs = [
            "http://127.0.0.1:PORT/x", "http://[::ffff:127.0.0.1]:PORT/x", "http://localhost:PORT/x",
            "http://127.1:PORT/x", "http://2130706433:PORT/x", "http://0x7f.1:PORT/x", "http://rebind.test:PORT/x",
        ]

        @Test("a destination URL on loopback is refused before any call", arguments: loopbackURLs)
        func loopbackIsRefused(_ template: String) async throws {
            try await CRMStandIn.withRunning { standIn in
                let url = template.replacingOccurrences(of: "PORT", with: "\(standIn.port)")
                let outcome = try await Self.withClient(["rebind.test": ["127.0.0.1"]]) { http in
                    let client = DestinationClient(httpClient: http, logger: TestEnvironment.logger)
                    return await client.deliver(F.lead, to: F.destination(.http, config: ["url": .string(url)]), secret: nil)
                }
                #expect(outcome.name == "permanent")
                #expect(outcome.errorClass == .configuration)
                #expect(outcome.reason?.hasPrefix("refused to call ") == true, "\(outcome.reason ?? "")")
                #expect(outcome.reason?.contains("loopback") == true, "\(outcome.reason ?? "")")
                #expect(standIn.requests.isEmpty)
            }
        }

        @Test func theSystemResolverIsUsedForNames() async throws {
            // No stub: `127.1` goes through getaddrinfo, which answers 127.0.0.1.
            let client = OutboundHTTPClient(policy: .publicOnly)
            await #expect(throws: OutboundRefusal.self) {
                _ = try await client.checker.check("http://127.1:9/x")
            }
            let refusal = await client.checker.refusal(for: "http://127.1:9/x")
            #expect("\(refusal.map { "\($0)" } ?? "")".contains("refused to call 127.1: it resolves to 127.0.0.1, a loopback address"))
            try await client.shutdown()
        }

        @Test(arguments: [
            "http://169.254.169.254/latest/meta-data/", "http://10.0.0.7/", "http://[fd12::1]/", "http://0.0.0.0:80/",
            "http://[::]/", "http://224.0.0.1/", "http://api.railway.internal/",
        ])
        func internalAddressesAreRefused(_ url: String) async throws {
            let outcome = try await Self.withClient { http in
                await DestinationClient(httpClient: http, logger: TestEnvironment.logger)
                    .deliver(F.lead, to: F.destination(.http, config: ["url": .string(url)]), secret: nil)
            }
            #expect(outcome.name == "permanent")
            #expect(outcome.errorClass == .configuration)
            #expect(outcome.reason?.hasPrefix("refused to call") == true, "\(outcome.reason ?? "")")
        }

        @Test(arguments: ["http+unix://%2Ftmp%2Fsock/x", "unix:///tmp/sock", "https+unix://%2Ftmp%2Fsock/x", "ftp://example.com/"])
        func onlyHTTPAndHTTPSAreCalled(_ url: String) async throws {
            await #expect(throws: UnsupportedURLSchemeError.self) {
                try await Self.withClient { http in _ = try await http.checker.check(url) }
            }
            // Even where private networks are allowed: these schemes reach local sockets.
            await #expect(throws: UnsupportedURLSchemeError.self) {
                _ = try await OutboundHTTPClient.allowingPrivateNetworksForTests.checker.check(url)
            }
        }

        @Test func aNameWithOnePrivateAnswerIsRefused() async throws {
            await #expect(throws: OutboundRefusal.self) {
                try await Self.withClient(["mixed.test": ["93.184.216.34", "10.0.0.1"]]) { http in
                    _ = try await http.checker.check("https://mixed.test/")
                }
            }
        }

        @Test func anOperatorMayAllowPrivateNetworksForOneDestination() async throws {
            try await CRMStandIn.withRunning { standIn in
                var destination = F.destination(.http, config: ["url": .string("http://127.0.0.1:\(standIn.port)/leads")])
                destination.allowPrivateNetwork = true
                let outcome = try await Self.withClient { http in
                    await DestinationClient(httpClient: http, logger: TestEnvironment.logger).deliver(F.lead, to: destination, secret: nil)
                }
                #expect(outcome.name == "succeeded")
                #expect(standIn.requests.count == 1)
            }
        }

        @Test("a checked name is connected to the checked address, not looked up again")
        func connectionsArePinnedToTheCheckedAddress() async throws {
            // `pinned.test` exists only in this test's resolver: the system resolver cannot find it, so
            // the request can only arrive if the connection went to the address that was checked.
            try await CRMStandIn.withRunning { standIn in
                var destination = F.destination(.http, config: ["url": .string("http://pinned.test:\(standIn.port)/leads")])
                destination.allowPrivateNetwork = true
                let outcomes = try await Self.withClient(["pinned.test": ["127.0.0.1"]]) { http in
                    let client = DestinationClient(httpClient: http, logger: TestEnvironment.logger)
                    return [
                        await client.deliver(F.lead, to: destination, secret: nil),
                        await client.deliver(F.lead, to: destination, secret: nil),
                    ]
                }
                #expect(outcomes.map(\.name) == ["succeeded", "succeeded"])
                #expect(standIn.requests.count == 2)
            }
        }

        @Test func privateNetworksAllowedForTheDeploymentSkipTheChecks() async throws {
            try await CRMStandIn.withRunning { standIn in
                let outcome = await DestinationClient(httpClient: .allowingPrivateNetworksForTests, logger: TestEnvironment.logger)
                    .deliver(F.lead, to: F.destination(.http, config: ["url": .string("http://localhost:\(standIn.port)/x")]), secret: nil)
                #expect(outcome.name == "succeeded")
            }
        }
    }
}
