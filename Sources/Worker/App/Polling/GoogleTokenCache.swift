import Shared

/// The access-token providers of the service accounts this worker polls with, kept between
/// polls so a token is reused until shortly before it expires.
actor GoogleTokenCache {
    private var providers: [String: GoogleAccessTokenProvider] = [:]

    /// The provider for `key` at `tokenURL` (the key's own when nil).
    func provider(for key: GoogleServiceAccountKey, tokenURL: String?, httpClient: OutboundHTTPClient) -> GoogleAccessTokenProvider {
        let id = "\(key.clientEmail)|\(key.privateKeyId ?? "")|\(tokenURL ?? key.tokenURI)"
        if let provider = providers[id] { return provider }
        let provider = GoogleAccessTokenProvider(key: key, httpClient: httpClient, tokenURL: tokenURL)
        providers[id] = provider
        return provider
    }
}
