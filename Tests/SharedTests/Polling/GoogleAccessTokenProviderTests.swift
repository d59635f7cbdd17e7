import CryptoExtras
import Foundation
import Shared
import Synchronization
import TestSupport
import Testing

@Suite("Google access tokens (service-account OAuth)")
struct GoogleAccessTokenProviderTests {
    /// Runs `body` with a token endpoint stand-in (trusting `trustedKey`, requiring `audience`,
    /// by default its own URL) and a provider for the test key pointed at it.
    func withTokenEndpoint(
        trusting trustedKey: _RSA.Signing.PublicKey = GoogleTestKey.rsaKey.publicKey,
        audience: String? = nil,
        expiresIn: Int = 3_599,
        timeout: Duration = GoogleAccessTokenProvider.defaultTimeout,
        now: @escaping @Sendable () -> Date = { Date() },
        _ body: (GoogleAccessTokenProvider, GoogleTokenEndpoint, CRMStandIn) async throws -> Void
    ) async throws {
        try await CRMStandIn.withRunning { standIn in
            let tokenURL = standIn.baseURL + "/token"
            let endpoint = GoogleTokenEndpoint(audience: audience ?? tokenURL, trustedKey: trustedKey, expiresIn: expiresIn)
            standIn.respond { endpoint.answer($0) }
            let provider = GoogleAccessTokenProvider(
                key: try GoogleTestKey.key(),
                httpClient: .allowingPrivateNetworksForTests,
                tokenURL: tokenURL,
                timeout: timeout,
                now: now
            )
            try await body(provider, endpoint, standIn)
        }
    }

    @Test func theStandInAcceptsTheAssertionAndOneExchangeServesTwoCalls() async throws {
        try await withTokenEndpoint { provider, endpoint, standIn in
            let first = try await provider.accessToken()
            let second = try await provider.accessToken()
            #expect(first.value == "test-token-1")
            #expect(second == first)
            #expect(first.authorizationHeader == "Bearer test-token-1")
            #expect(endpoint.issued == 1)
            #expect(await provider.exchangeCount == 1)
            let request = try #require(standIn.requests.first)
            #expect(standIn.requests.count == 1)
            #expect(request.method == "POST" && request.path == "/token")
            #expect(request.bodyText.hasPrefix("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion="))
        }
    }

    @Test func theKeysTokenURIIsUsedWhenNoneIsConfigured() async throws {
        try await CRMStandIn.withRunning { standIn in
            let tokenURL = standIn.baseURL + "/token"
            let endpoint = GoogleTokenEndpoint(audience: tokenURL)
            standIn.respond { endpoint.answer($0) }
            let provider = GoogleAccessTokenProvider(key: try GoogleTestKey.key(tokenURI: tokenURL), httpClient: .allowingPrivateNetworksForTests)
            let token = try await provider.accessToken()
            #expect(token.value == "test-token-1")
            #expect(provider.tokenURL == tokenURL)
        }
    }

    @Test func invalidateExchangesAgainButOnlyForTheRejectedToken() async throws {
        try await withTokenEndpoint { provider, endpoint, _ in
            let first = try await provider.accessToken()
            await provider.invalidate(first)
            let second = try await provider.accessToken()
            #expect(second.value == "test-token-2")
            // A caller that saw the first token rejected late does not throw the new one away.
            await provider.invalidate(first)
            let kept = try await provider.accessToken()
            #expect(kept == second)
            await provider.invalidate()
            let third = try await provider.accessToken()
            #expect(third.value == "test-token-3")
            #expect(endpoint.issued == 3)
        }
    }

    @Test func aTokenIsReplacedAMinuteBeforeItExpires() async throws {
        let clock = WallClockByHand()
        let readClock: @Sendable () -> Date = { clock.now }
        try await withTokenEndpoint(expiresIn: 3_600, now: readClock) { provider, endpoint, _ in
            let first = try await provider.accessToken()
            clock.advance(by: 3_539)
            let stillValid = try await provider.accessToken()
            #expect(stillValid == first)
            clock.advance(by: 2)
            let replaced = try await provider.accessToken()
            #expect(replaced.value == "test-token-2")
            #expect(endpoint.issued == 2)
        }
    }

    @Test func concurrentCallersShareOneExchange() async throws {
        try await withTokenEndpoint { provider, endpoint, _ in
            // A slow answer keeps the exchange open while the other callers arrive; however they
            // interleave, they must all get the one token.
            endpoint.enqueue(.ok(#"{"access_token":"shared-token","expires_in":3599,"token_type":"Bearer"}"#).delayed(by: .milliseconds(300)))
            let tokens = try await withThrowingTaskGroup(of: GoogleAccessToken.self) { group in
                for _ in 0..<8 { group.addTask { try await provider.accessToken() } }
                return try await group.reduce(into: [GoogleAccessToken]()) { $0.append($1) }
            }
            #expect(tokens.count == 8)
            #expect(Set(tokens.map(\.value)) == ["shared-token"])
            #expect(await provider.exchangeCount == 1)
        }
    }

    @Test func anAssertionSignedWithAnotherKeyIsRefusedWithGooglesReason() async throws {
        // The stand-in trusts another key, as if this one had been deleted in the Cloud console.
        try await withTokenEndpoint(trusting: GoogleTestKey.otherRSAKey.publicKey) { provider, endpoint, _ in
            let error = await #expect(throws: GoogleTokenError.self) { try await provider.accessToken() }
            #expect(error == .refused(status: 400, code: "invalid_grant", detail: "Invalid JWT Signature."))
            #expect(error?.isRetryable == false)
            let text = String(describing: error)
            #expect(text.contains("invalid_grant: Invalid JWT Signature."))
            #expect(!text.contains("PRIVATE KEY"))
            for line in GoogleTestKey.pemBodyLines { #expect(!text.contains(line)) }
            #expect(endpoint.issued == 0)
        }
    }

    @Test func aWrongAudienceIsRefused() async throws {
        try await withTokenEndpoint(audience: "https://oauth2.googleapis.com/token") { provider, _, _ in
            let error = await #expect(throws: GoogleTokenError.self) { try await provider.accessToken() }
            #expect(error == .refused(status: 400, code: "invalid_grant", detail: "Invalid JWT: Failed audience check."))
        }
    }

    @Test func aServerErrorIsRetryableAndNotCached() async throws {
        try await withTokenEndpoint { provider, endpoint, _ in
            endpoint.enqueue(.json(503, #"{"error":"internal_failure","error_description":"Backend error"}"#))
            let error = await #expect(throws: GoogleTokenError.self) { try await provider.accessToken() }
            #expect(error?.isRetryable == true)
            #expect(error?.description.contains("HTTP 503 (internal_failure: Backend error)") == true)
            let token = try await provider.accessToken()
            #expect(token.value == "test-token-1")
            #expect(await provider.exchangeCount == 2)
        }
    }

    @Test func anEndpointThatNeverAnswersTimesOutAsRetryable() async throws {
        try await withTokenEndpoint(timeout: .milliseconds(200)) { provider, endpoint, _ in
            endpoint.enqueue(.hang)
            let error = await #expect(throws: GoogleTokenError.self) { try await provider.accessToken() }
            #expect(error?.isRetryable == true)
        }
    }

    @Test func aTokenURLOnAPrivateNetworkIsRefusedWithoutACall() async throws {
        let client = OutboundHTTPClient(policy: .publicOnly)
        let provider = GoogleAccessTokenProvider(key: try GoogleTestKey.key(), httpClient: client, tokenURL: "http://127.0.0.1:9/token")
        let error = await #expect(throws: GoogleTokenError.self) { try await provider.accessToken() }
        try await client.shutdown()
        guard case .misconfigured(let reason)? = error else {
            Issue.record("expected a refusal, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("refused to call 127.0.0.1"))
        #expect(error?.isRetryable == false)
    }

    @Test func tokensNeverAppearInDescriptions() throws {
        let token = GoogleAccessToken(value: "ya29.secret-token", expiresAt: Date())
        var dumped = ""
        dump(token, to: &dumped)
        for text in [String(describing: token), String(reflecting: token), dumped] { #expect(!text.contains("ya29")) }
    }
}

/// The wall clock a provider reads, moved by the test.
final class WallClockByHand: Sendable {
    private let date = Mutex(Date())

    /// The clock's time.
    var now: Date { date.withLock { $0 } }

    /// Moves the clock `seconds` on.
    func advance(by seconds: TimeInterval) { date.withLock { $0 += seconds } }
}
