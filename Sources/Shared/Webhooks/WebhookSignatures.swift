import Crypto
import Foundation

/// Signature checks for inbound webhooks. Every check works on the raw body bytes as received and
/// compares MACs in constant time; a failure is a ``WebhookRejection`` with status 401 and outcome
/// `bad_signature` whose reason names what was wrong (never the secret or the expected MAC).
public enum WebhookSignatures {
    /// Checks Meta's `X-Hub-Signature-256: sha256=<hex>`, the HMAC-SHA256 of `body` keyed with the app secret.
    ///
    /// - Throws: 401 `bad_signature` when the header is missing, not `sha256=` followed by 64 hex
    ///   digits, or does not match; also when `appSecret` is empty (anyone could sign).
    public static func verifyMeta(body: [UInt8], header: String?, appSecret: String) throws(WebhookRejection) {
        try verifyHexHMAC(body: body, header: header, headerName: "X-Hub-Signature-256", secret: appSecret, secretName: "app secret")
    }

    /// Checks the optional signing of generic / Zapier sources: `X-LeadRelay-Signature: sha256=<hex>`,
    /// the HMAC-SHA256 of `body` keyed with the source's signing secret (the same format as Meta's).
    ///
    /// - Throws: 401 `bad_signature` as ``verifyMeta(body:header:appSecret:)``.
    public static func verifyGeneric(body: [UInt8], header: String?, secret: String) throws(WebhookRejection) {
        try verifyHexHMAC(body: body, header: header, headerName: "X-LeadRelay-Signature", secret: secret, secretName: "signing secret")
    }

    /// `"sha256=<lower-case hex HMAC-SHA256(secret, body)>"`, the value of `X-Hub-Signature-256` and
    /// `X-LeadRelay-Signature` (for tests and senders).
    public static func hexSignature(body: [UInt8], secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8)))
        return "sha256=" + WebhookEncoding.hex(mac)
    }

    private static func verifyHexHMAC(
        body: [UInt8],
        header: String?,
        headerName: String,
        secret: String,
        secretName: String
    ) throws(WebhookRejection) {
        guard !secret.isEmpty else { throw .badSignature("no \(secretName) is configured for this source") }
        guard let header = header?.trimmingCharacters(in: .whitespaces), !header.isEmpty else {
            throw .badSignature("missing \(headerName) header")
        }
        let prefix = "sha256="
        guard header.count > prefix.count, header.prefix(prefix.count).lowercased() == prefix else {
            throw .badSignature("malformed \(headerName) header: expected sha256=<hex>")
        }
        let digits = header.dropFirst(prefix.count)
        guard let signature = WebhookEncoding.bytes(hex: digits), signature.count == SHA256.byteCount else {
            throw .badSignature("malformed \(headerName) header: the signature is not 64 hex digits")
        }
        let key = SymmetricKey(data: Array(secret.utf8))
        guard HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: body, using: key) else {
            throw .badSignature("\(headerName) does not match the body")
        }
    }
}
