import Foundation
import Shared
import Synchronization
import _CryptoExtras

/// Google's OAuth token endpoint, played by a ``CRMStandIn`` (install with ``answer(_:)`` as its
/// responder, or run it with ``GoogleSheetsStandIn/withRunning(trustedKey:expiresIn:_:)``): checks
/// each JWT bearer assertion as Google does — `alg` RS256, `aud`, `scope`, `iss`,
/// `exp - iat ≤ 3600`, and the RS256 signature against the trusted public key — and answers a
/// fresh token (`test-token-1`, `test-token-2`…) or Google's `invalid_grant` error.
///
/// The tokens it issues are what ``GoogleSheetsStandIn`` accepts: until they expire
/// (`expiresIn` after issue) or a test expires or revokes them (``expire(_:)``, ``expireAll()``).
public final class GoogleTokenEndpoint: Sendable {
    /// The key whose signatures are accepted.
    public let trustedKey: _RSA.Signing.PublicKey
    /// The `aud` required (the token URL).
    public let audience: String
    /// The `expires_in` answered.
    public let expiresIn: Int

    /// Tokens issued (with when they stop working), scripted answers.
    struct State {
        var issued = 0
        var validUntil: [String: Date] = [:]
        var upcoming: [StandInAnswer] = []
    }

    let state = Mutex(State())

    /// An endpoint at `audience` trusting `trustedKey`, issuing tokens that last `expiresIn` seconds.
    public init(audience: String, trustedKey: _RSA.Signing.PublicKey = GoogleTestKey.rsaKey.publicKey, expiresIn: Int = 3_599) {
        self.audience = audience
        self.trustedKey = trustedKey
        self.expiresIn = expiresIn
    }

    /// Tokens issued so far.
    public var issued: Int { state.withLock { $0.issued } }

    /// Answers the next requests with `answers` (a 503, a hang…), before any checking.
    public func enqueue(_ answers: StandInAnswer...) {
        state.withLock { $0.upcoming.append(contentsOf: answers) }
    }

    /// The answer to `request`.
    public func answer(_ request: RecordedRequest) -> StandInAnswer {
        if let scripted = state.withLock({ $0.upcoming.isEmpty ? nil : $0.upcoming.removeFirst() }) { return scripted }
        guard request.method == "POST", request.header("Content-Type") == "application/x-www-form-urlencoded" else {
            return .json(400, #"{"error":"invalid_request","error_description":"Expected a form POST."}"#)
        }
        let form = Self.form(request.bodyText)
        guard form["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer" else {
            return .json(400, #"{"error":"unsupported_grant_type","error_description":"Invalid grant_type."}"#)
        }
        if let refusal = refusal(ofAssertion: form["assertion"] ?? "") {
            return .json(400, #"{"error":"invalid_grant","error_description":"\#(refusal)"}"#)
        }
        let token = state.withLock { state in
            state.issued += 1
            let token = "test-token-\(state.issued)"
            state.validUntil[token] = Date(timeIntervalSinceNow: TimeInterval(expiresIn))
            return token
        }
        return .ok(#"{"access_token":"\#(token)","expires_in":\#(expiresIn),"token_type":"Bearer"}"#)
    }

    /// Why Google would refuse `assertion` (its wording), or nil when it is good.
    public func refusal(ofAssertion assertion: String) -> String? {
        let parts = assertion.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, !assertion.contains("="),
            let header = GoogleTestKey.bytes(base64URL: parts[0]).flatMap({ try? JSONValue.parse($0) })?.objectMembers,
            let claims = GoogleTestKey.bytes(base64URL: parts[1]).flatMap({ try? JSONValue.parse($0) })?.objectMembers,
            let signature = GoogleTestKey.bytes(base64URL: parts[2])
        else { return "Invalid JWT: malformed." }
        guard header["alg"]?.scalarText == "RS256", header["typ"]?.scalarText == "JWT" else { return "Invalid JWT: unsupported alg." }
        // `kid` is optional; when sent it must name the key.
        if let kid = header["kid"], kid.scalarText != GoogleTestKey.keyId { return "Invalid JWT: unknown kid." }
        let signingInput = Data("\(parts[0]).\(parts[1])".utf8)
        let rsaSignature = _RSA.Signing.RSASignature(rawRepresentation: signature)
        guard trustedKey.isValidSignature(rsaSignature, for: signingInput, padding: .insecurePKCS1v1_5) else {
            return "Invalid JWT Signature."
        }
        guard claims["aud"]?.scalarText == audience else { return "Invalid JWT: Failed audience check." }
        guard claims["iss"]?.scalarText == GoogleTestKey.clientEmail else { return "Invalid JWT: unknown issuer." }
        let scopes = (claims["scope"]?.scalarText ?? "").split(separator: " ").map(String.init)
        guard scopes.contains(GoogleJWTAssertion.spreadsheetsReadOnlyScope) else { return "Invalid JWT: bad scope." }
        guard let issuedAt = claims["iat"]?.scalarText.flatMap(Int64.init),
            let expiresAt = claims["exp"]?.scalarText.flatMap(Int64.init),
            expiresAt > issuedAt, expiresAt - issuedAt <= 3_600
        else {
            return "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. "
                + "Check your iat and exp values in the JWT claim."
        }
        return nil
    }

    /// The fields of a form body, percent-decoded.
    public static func form(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            fields[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return fields
    }
}
