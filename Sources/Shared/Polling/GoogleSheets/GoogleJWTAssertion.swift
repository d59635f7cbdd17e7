import Foundation

/// The signed JWT a service account trades for an access token (OAuth 2.0 JWT bearer grant):
/// header `{"alg":"RS256","typ":"JWT","kid":…}`, claims `iss` (the account's email), `scope`,
/// `aud` (the token URL), `iat` and `exp` (at most an hour later), signed RSASSA-PKCS1-v1_5
/// SHA-256 and encoded as three base64url parts without padding.
public struct GoogleJWTAssertion: Sendable, Hashable {
    /// Read-only access to spreadsheets: all a polling source needs.
    public static let spreadsheetsReadOnlyScope = "https://www.googleapis.com/auth/spreadsheets.readonly"
    /// How long an assertion is valid: Google refuses more than an hour.
    public static let lifetime: TimeInterval = 3_600

    /// `iss`: the service account's email.
    public var issuer: String
    /// `scope`: space-separated scopes.
    public var scope: String
    /// `aud`: the token URL the assertion is sent to.
    public var audience: String
    /// `iat`, seconds since 1970.
    public var issuedAt: Int64
    /// `exp`, seconds since 1970 (``issuedAt`` + ``lifetime``).
    public var expiresAt: Int64
    /// The header's `kid`; omitted when nil.
    public var keyId: String?

    /// The claims for `key`'s account asking for `scope` at `audience`, issued at `now`.
    public init(key: GoogleServiceAccountKey, scope: String = spreadsheetsReadOnlyScope, audience: String, now: Date) {
        issuer = key.clientEmail
        self.scope = scope
        self.audience = audience
        issuedAt = Int64(now.timeIntervalSince1970.rounded(.down))
        expiresAt = issuedAt + Int64(Self.lifetime)
        keyId = key.privateKeyId
    }

    /// The compact JWT signed with `key` (RS256).
    ///
    /// - Throws: whatever the RSA signer throws (it does not for a key that parsed).
    public func signed(with key: GoogleServiceAccountKey) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let header = try encoder.encode(Header(alg: "RS256", typ: "JWT", kid: keyId))
        let claims = try encoder.encode(Claims(iss: issuer, scope: scope, aud: audience, iat: issuedAt, exp: expiresAt))
        let signingInput = WebhookEncoding.base64URL(header) + "." + WebhookEncoding.base64URL(claims)
        let signature = try key.rs256Signature(of: Array(signingInput.utf8))
        return signingInput + "." + WebhookEncoding.base64URL(signature)
    }

    private struct Header: Encodable {
        var alg: String
        var typ: String
        var kid: String?
    }

    private struct Claims: Encodable {
        var iss: String
        var scope: String
        var aud: String
        var iat: Int64
        var exp: Int64
    }
}
