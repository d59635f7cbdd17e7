import Foundation

/// Hands out access tokens for one service account: signs a ``GoogleJWTAssertion``, exchanges
/// it at the token URL through the ``OutboundHTTPClient`` (private targets refused unless
/// allowed), and reuses the token until ``refreshMargin`` before it expires. Callers that ask
/// while an exchange is under way wait for that exchange instead of starting their own. After
/// an API answers 401, ``invalidate(_:)`` the token and ask again (once).
public actor GoogleAccessTokenProvider {
    /// How long before its expiry a token is replaced.
    public static let refreshMargin: TimeInterval = 60
    /// The default limit on one exchange (connecting, the answer and its body).
    public static let defaultTimeout: Duration = .seconds(10)

    /// The account whose tokens these are.
    public nonisolated let key: GoogleServiceAccountKey
    /// Where assertions are exchanged (and their `aud`).
    public nonisolated let tokenURL: String
    /// The scopes asked for.
    public nonisolated let scope: String
    /// Exchanges made so far (each one a request to the token URL).
    public private(set) var exchangeCount = 0

    let httpClient: OutboundHTTPClient
    let timeout: Duration
    let allowPrivateNetwork: Bool
    let now: @Sendable () -> Date

    private var cached: GoogleAccessToken?
    private var exchanging = false
    private var waiters: [CheckedContinuation<Result<GoogleAccessToken, GoogleTokenError>, Never>] = []

    /// A provider for `key`'s account asking for `scope` at `tokenURL` (the key's `token_uri`
    /// when nil; tests pass a loopback stand-in), through `httpClient` (borrowed, not shut down
    /// here). `allowPrivateNetwork` lets the token URL be on a private network; `now` is the
    /// wall clock (assertions are stamped with it, and tokens expire by it).
    public init(
        key: GoogleServiceAccountKey,
        httpClient: OutboundHTTPClient,
        tokenURL: String? = nil,
        scope: String = GoogleJWTAssertion.spreadsheetsReadOnlyScope,
        timeout: Duration = defaultTimeout,
        allowPrivateNetwork: Bool = false,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.key = key
        self.httpClient = httpClient
        self.tokenURL = tokenURL ?? key.tokenURI
        self.scope = scope
        self.timeout = timeout
        self.allowPrivateNetwork = allowPrivateNetwork
        self.now = now
    }

    /// A token valid for at least ``refreshMargin`` more: the cached one, or a new one from an
    /// exchange (shared with every caller asking meanwhile).
    ///
    /// - Throws: ``GoogleTokenError``; a failed exchange is not cached, so the next call tries again.
    public func accessToken() async throws(GoogleTokenError) -> GoogleAccessToken {
        if let cached, now() < cached.expiresAt.addingTimeInterval(-Self.refreshMargin) { return cached }
        if exchanging {
            return try await withCheckedContinuation { waiters.append($0) }.get()
        }
        exchanging = true
        exchangeCount += 1
        let result = await exchange()
        exchanging = false
        if case .success(let token) = result { cached = token }
        let waiting = waiters
        waiters = []
        for waiter in waiting { waiter.resume(returning: result) }
        return try result.get()
    }

    /// Forgets the cached token so the next ``accessToken()`` exchanges again: call it when an
    /// API answers 401. With `rejected`, only that token is forgotten, so callers that saw the
    /// same 401 at once cause one new exchange, not one each.
    public func invalidate(_ rejected: GoogleAccessToken? = nil) {
        guard let rejected else {
            cached = nil
            return
        }
        if cached == rejected { cached = nil }
    }
}
