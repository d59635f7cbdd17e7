import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IngestAPIApp
import PostgresNIO
import Shared
import TestSupport
import Testing

/// Password checks beyond the cap are refused at once with `Retry-After`. The tests hold a slot of
/// the server's limiter themselves, so nothing depends on timing.
@Suite("Sign-in: a cap on concurrent password checks")
struct SignInCapacityTests {
    @Test func aSignInFindingTheProcessCapTakenIsRefusedWith503AndRetryAfter() async throws {
        let checks = PasswordCheckLimiter(maximumConcurrent: 1)
        try await DashboardTestHarness.run(passwordChecks: checks) { client, _, _, _, stores in
            try checks.acquire(.address("192.0.2.1"))  // a check of someone else's, still running
            let refused = try await SignInAttempt.post(client, email: "ops@example.com", password: DashboardTestHarness.password)
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.headers[.retryAfter] == "1")
            #expect(String(buffer: refused.body).contains("Too many sign-ins are being checked right now"))
            #expect(try await stores.count("SELECT count(*)::int FROM audit_log") == 0, "a refusal is not a failed sign-in")

            checks.release(.address("192.0.2.1"))
            let signedIn = try await SignInAttempt.post(client, email: "ops@example.com", password: DashboardTestHarness.password)
            #expect(signedIn.status == .seeOther)
            #expect(checks.running == 0)
        }
    }

    @Test func aSecondCheckFromOneAddressIsRefusedWith429WhileOthersGoOn() async throws {
        let checks = PasswordCheckLimiter(maximumConcurrent: 8, maximumPerAddress: 1)
        try await DashboardTestHarness.run(extra: ["TRUSTED_PROXIES": "127.0.0.1/32"], passwordChecks: checks) { client, _, _, _, _ in
            try checks.acquire(.address("203.0.113.5"))
            let sameAddress = try await SignInAttempt.post(
                client,
                email: "ops@example.com",
                password: DashboardTestHarness.password,
                headers: [SignInAttempt.forwardedFor: "203.0.113.5"]
            )
            #expect(sameAddress.status == .tooManyRequests)
            #expect(sameAddress.headers[.retryAfter] == "1")
            #expect(String(buffer: sameAddress.body).contains("Another sign-in from your network is being checked"))
            let otherAddress = try await SignInAttempt.post(
                client,
                email: "ops@example.com",
                password: DashboardTestHarness.password,
                headers: [SignInAttempt.forwardedFor: "198.51.100.5"]
            )
            #expect(otherAddress.status == .seeOther)
            checks.release(.address("203.0.113.5"))
        }
    }

    @Test func aBrowserThatSignedInBeforeHasALaneOfItsOwn() async throws {
        let checks = PasswordCheckLimiter(maximumConcurrent: 1)
        try await DashboardTestHarness.run(passwordChecks: checks) { client, _, _, _, _ in
            let first = try await SignInAttempt.post(client, email: "ops@example.com", password: DashboardTestHarness.password)
            #expect(first.status == .seeOther)
            let device = try #require(DashboardBrowser.cookie(named: "lr_device", in: first))
            let header = try #require(first.headers[values: .setCookie].first { $0.hasPrefix("lr_device=") })
            #expect(header.contains("HttpOnly") && header.contains("Path=/login"))

            try checks.acquire(.address("192.0.2.1"))  // the spray's check fills the common lane
            let known: HTTPFields = [.cookie: "lr_login=form-token; lr_device=\(device)"]
            let owner = try await SignInAttempt.post(client, email: "ops@example.com", password: DashboardTestHarness.password, headers: known)
            #expect(owner.status == .seeOther)
            // The cookie belongs to that account only, and a made-up one counts for nothing.
            let otherAccount = try await SignInAttempt.post(client, email: "a@example.com", password: DashboardTestHarness.password, headers: known)
            #expect(otherAccount.status == .serviceUnavailable)
            let forged: HTTPFields = [.cookie: "lr_login=form-token; lr_device=made-up-token"]
            let stranger = try await SignInAttempt.post(client, email: "ops@example.com", password: DashboardTestHarness.password, headers: forged)
            #expect(stranger.status == .serviceUnavailable)
            checks.release(.address("192.0.2.1"))
        }
    }

    @Test func theLimiterCountsSlotsPerProcessPerAddressAndForKnownDevices() throws {
        let checks = PasswordCheckLimiter(maximumConcurrent: 2, maximumPerAddress: 1, maximumKnownDevices: 1)
        try checks.acquire(.address("192.0.2.1"))
        #expect(throws: PasswordCheckLimiter.Refusal.addressBusy) { try checks.acquire(.address("192.0.2.1")) }
        try checks.acquire(.address(nil))
        #expect(throws: PasswordCheckLimiter.Refusal.serverBusy) { try checks.acquire(.address("192.0.2.2")) }
        try checks.acquire(.knownDevice)
        #expect(throws: PasswordCheckLimiter.Refusal.serverBusy) { try checks.acquire(.knownDevice) }
        checks.release(.address("192.0.2.1"))
        try checks.acquire(.address("192.0.2.1"))
        #expect(checks.running == 3)
    }
}
