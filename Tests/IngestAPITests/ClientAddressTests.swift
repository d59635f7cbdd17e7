import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IngestAPIApp
import Shared
import TestSupport
import Testing

/// The test client connects from 127.0.0.1, so that is the socket address; tests that need a
/// proxy in front make 127.0.0.1 a trusted one.
@Suite("Client address: forwarded headers are believed only from trusted proxies")
struct ClientAddressTests {
    static let wrongPassword = "not-the-password-at-all"

    /// `count` sign-ins with a wrong password, the n-th as `attempt(n).email` forwarded for `attempt(n).address`.
    private func failSignIns(
        _ client: any TestClientProtocol,
        _ count: Int,
        _ attempt: (Int) -> (email: String, address: String)
    ) async throws {
        for number in 1...count {
            let (email, address) = attempt(number)
            let response = try await SignInAttempt.post(
                client,
                email: email,
                password: Self.wrongPassword,
                headers: [SignInAttempt.forwardedFor: address]
            )
            #expect(response.status == .unauthorized)
        }
    }

    @Test func aForwardedForFromAnUntrustedPeerIsIgnored() async throws {
        try await DashboardTestHarness.run { client, _, _, _, stores in
            let response = try await SignInAttempt.post(
                client,
                email: "ops@example.com",
                password: Self.wrongPassword,
                headers: [SignInAttempt.forwardedFor: "203.0.113.9"]
            )
            #expect(response.status == .unauthorized)
            #expect(try await SignInAttempt.auditAddresses(stores, action: "auth.login_failed") == ["127.0.0.1"])
        }
    }

    /// `X-Forwarded-For` as the trusted proxy 127.0.0.1 passed it on (with 10.0.0.0/8 as trusted
    /// internal hops), and the client address that must be recorded.
    @Test(arguments: [
        ("203.0.113.9", "203.0.113.9"),
        ("198.51.100.1, 203.0.113.9", "203.0.113.9"),  // the left part is whatever the client sent
        ("203.0.113.9, 10.1.2.3", "203.0.113.9"),  // an internal proxy hop is skipped
        ("198.51.100.1,203.0.113.9, 10.1.2.3 ,10.9.9.9", "203.0.113.9"),
        ("unknown, 203.0.113.9", "203.0.113.9"),
        ("203.0.113.9, not-an-address, 10.0.0.5", "10.0.0.5"),  // nothing left of garbage is believed
        ("10.0.0.7, 10.0.0.5", "10.0.0.7"),  // all trusted: the first hop
        ("[2001:db8::7]:443", "2001:db8::7"),
        ("203.0.113.9:5123", "203.0.113.9"),
        ("", "127.0.0.1"),
    ])
    func aTrustedProxyChainGivesTheRightMostUntrustedHop(_ forwarded: String, _ expected: String) async throws {
        try await DashboardTestHarness.run(extra: ["TRUSTED_PROXIES": "127.0.0.1/32, 10.0.0.0/8"]) { client, _, _, _, stores in
            var headers: HTTPFields = [:]
            if !forwarded.isEmpty { headers[SignInAttempt.forwardedFor] = forwarded }
            let response = try await SignInAttempt.post(client, email: "ops@example.com", password: Self.wrongPassword, headers: headers)
            #expect(response.status == .unauthorized)
            #expect(try await SignInAttempt.auditAddresses(stores, action: "auth.login_failed") == [expected])
        }
    }

    @Test(arguments: [false, true])
    func forwardedProtoMarksCookiesSecureOnlyFromATrustedProxy(_ trusted: Bool) async throws {
        try await DashboardTestHarness.run(extra: trusted ? ["TRUSTED_PROXIES": "127.0.0.1"] : [:]) { client, _, _, _, _ in
            let response = try await SignInAttempt.post(
                client,
                email: "ops@example.com",
                password: DashboardTestHarness.password,
                headers: [SignInAttempt.forwardedProto: "https"]
            )
            #expect(response.status == .seeOther)
            let cookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("lr_session=") })
            #expect(cookie.hasSuffix("; Secure") == trusted)
        }
    }

    @Test(arguments: [false, true])
    func forwardedHostSatisfiesTheOriginCheckOnlyFromATrustedProxy(_ trusted: Bool) async throws {
        try await DashboardTestHarness.run(extra: trusted ? ["TRUSTED_PROXIES": "127.0.0.1"] : [:]) { client, _, _, _, _ in
            let response = try await SignInAttempt.post(
                client,
                email: "ops@example.com",
                password: DashboardTestHarness.password,
                headers: [.origin: "https://evil.example", SignInAttempt.forwardedHost: "evil.example"]
            )
            #expect(response.status == (trusted ? .seeOther : .forbidden))
        }
    }

    /// Every failure claims another forwarded-for address and email: were the header believed, no
    /// address would ever reach the limit of 50. The limit counts in fixed 15-minute windows and
    /// skips a count when Redis answers slowly, so on a loaded machine a run crossing a window's end
    /// (or losing a count) used to get 303 instead of 429; failures now go on until the limit trips,
    /// for at most two windows' worth, and the first 50 must all be allowed.
    @Test func theAddressLimitCountsTheSocketAddressWhateverForwardedForSays() async throws {
        try await DashboardTestHarness.run { client, _, _, _, _ in
            var failures = 0
            var status = HTTPResponse.Status.unauthorized
            while status == .unauthorized && failures < 100 {
                failures += 1
                status = try await SignInAttempt.post(
                    client,
                    email: "nobody-\(failures)@example.com",
                    password: Self.wrongPassword,
                    headers: [SignInAttempt.forwardedFor: "198.51.100.\(failures)"]
                ).status
            }
            #expect(status == .tooManyRequests)
            #expect(failures > 50, "the first 50 failures are let through")
            let next = try await SignInAttempt.post(
                client,
                email: "ops@example.com",
                password: DashboardTestHarness.password,
                headers: [SignInAttempt.forwardedFor: "198.51.100.200"]
            )
            #expect(next.status == .tooManyRequests)
            #expect(next.headers[.retryAfter] != nil)
        }
    }

    @Test func failuresFromOtherAddressesDoNotLockTheOwnerOut() async throws {
        try await DashboardTestHarness.run(extra: ["TRUSTED_PROXIES": "127.0.0.1/32"]) { client, _, _, _, _ in
            try await failSignIns(client, 10) { ("ops@example.com", "203.0.113.\($0)") }
            let owner = try await SignInAttempt.post(
                client,
                email: "ops@example.com",
                password: DashboardTestHarness.password,
                headers: [SignInAttempt.forwardedFor: "198.51.100.7"]
            )
            #expect(owner.status == .seeOther)
        }
    }

    @Test func tenFailuresForOneEmailFromOneAddressLockThatPair() async throws {
        try await DashboardTestHarness.run(extra: ["TRUSTED_PROXIES": "127.0.0.1/32"]) { client, _, _, _, _ in
            try await failSignIns(client, 10) { _ in ("ops@example.com", "203.0.113.66") }
            let stranger: HTTPFields = [SignInAttempt.forwardedFor: "203.0.113.66"]
            let locked = try await SignInAttempt.post(client, email: "ops@example.com", password: DashboardTestHarness.password, headers: stranger)
            #expect(locked.status == .tooManyRequests)
            #expect(locked.headers[.retryAfter] != nil)
            let otherAccount = try await SignInAttempt.post(
                client,
                email: "a@example.com",
                password: DashboardTestHarness.password,
                headers: stranger
            )
            #expect(otherAccount.status == .seeOther)
        }
    }
}
