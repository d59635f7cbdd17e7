import Crypto
import Foundation

/// monday.com app webhooks: an HS256 JWT in `Authorization`.
extension WebhookSignatures {
    /// How far past `exp` a monday JWT is still accepted (clock skew).
    public static let mondayJWTLeeway: TimeInterval = 60

    /// Checks the JWT monday puts in `Authorization` (with or without a `Bearer ` prefix) for
    /// app-created webhooks: three base64url parts, header `alg` exactly `HS256`, the HMAC-SHA256
    /// of `header.payload` keyed with the app's signing secret (constant-time compare), and `exp`,
    /// when present, not more than ``mondayJWTLeeway`` seconds in the past.
    ///
    /// - Throws: 401 `bad_signature` naming what failed; also for an empty signing secret.
    public static func verifyMondayJWT(authorization: String?, signingSecret: String, now: Date = Date()) throws(WebhookRejection) {
        guard !signingSecret.isEmpty else { throw .badSignature("no signing secret is configured for this source") }
        guard var token = authorization?.trimmingCharacters(in: .whitespaces), !token.isEmpty else {
            throw .badSignature("missing Authorization header (monday JWT)")
        }
        if token.count > 7, token.prefix(7).lowercased() == "bearer " {
            token = token.dropFirst(7).trimmingCharacters(in: .whitespaces)
        }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .badSignature("malformed JWT: expected header.payload.signature") }
        guard let headerBytes = WebhookEncoding.bytes(base64URL: parts[0]),
            let header = try? JSONValue.parse(headerBytes).webhookObject
        else {
            throw .badSignature("malformed JWT: the header is not base64url JSON")
        }
        guard let alg = header["alg"]?.webhookString else { throw .badSignature("malformed JWT: the header has no alg") }
        guard alg == "HS256" else { throw .badSignature("JWT alg \(alg) is not HS256") }
        guard let signature = WebhookEncoding.bytes(base64URL: parts[2]), signature.count == SHA256.byteCount else {
            throw .badSignature("malformed JWT: the signature is not a base64url HMAC-SHA256")
        }
        let signingInput = Array(token.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count))
        let key = SymmetricKey(data: Array(signingSecret.utf8))
        guard HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: signingInput, using: key) else {
            throw .badSignature("JWT signature does not match (wrong signing secret?)")
        }
        guard let payloadBytes = WebhookEncoding.bytes(base64URL: parts[1]),
            let payload = try? JSONValue.parse(payloadBytes).webhookObject
        else {
            throw .badSignature("malformed JWT: the payload is not base64url JSON")
        }
        if let exp = payload["exp"] {
            guard case .number(let number) = exp else { throw .badSignature("malformed JWT: exp is not a number") }
            let seconds = number.doubleValue
            if now.timeIntervalSince1970 > seconds + mondayJWTLeeway {
                let expiry = Date(timeIntervalSince1970: seconds).formatted(.iso8601)
                throw .badSignature("JWT expired at \(expiry)")
            }
        }
    }

    /// An HS256 JWT with `claims` signed with `signingSecret` (for tests); `alg` overrides the header's alg.
    public static func mondayJWT(claims: [String: JSONValue], signingSecret: String, alg: String = "HS256") -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let header = (try? encoder.encode(JSONValue.object(["alg": .string(alg), "typ": "JWT"]))) ?? Data()
        let payload = (try? encoder.encode(JSONValue.object(claims))) ?? Data()
        let signingInput = WebhookEncoding.base64URL(header) + "." + WebhookEncoding.base64URL(payload)
        let mac = HMAC<SHA256>.authenticationCode(for: Array(signingInput.utf8), using: SymmetricKey(data: Array(signingSecret.utf8)))
        return signingInput + "." + WebhookEncoding.base64URL(mac)
    }
}
