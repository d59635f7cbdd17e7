import Foundation
import _CryptoExtras

/// A Google Cloud service account's JSON key, as Google downloads it: the account's email, its
/// RSA private key (PKCS#8 PEM), the key's id and the OAuth token URL. The private key is parsed
/// once and kept only as a signing key; ``description``, ``debugDescription`` and the mirror
/// (`dump`) show the account and key id, never the key.
public struct GoogleServiceAccountKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Where Google exchanges assertions for access tokens (the key's `token_uri` when it has none).
    public static let defaultTokenURI = "https://oauth2.googleapis.com/token"

    /// The account's email (`client_email`): the JWT's issuer, and whom a sheet must be shared with.
    public let clientEmail: String
    /// The key's id (`private_key_id`), sent as the JWT header's `kid`; nil when the key has none.
    public let privateKeyId: String?
    /// The key's `token_uri` (``defaultTokenURI`` when absent).
    public let tokenURI: String
    /// The parsed `private_key`.
    let signingKey: _RSA.Signing.PrivateKey

    /// Parses the key file's text.
    ///
    /// - Throws: ``GoogleServiceAccountKeyError`` naming the missing or invalid field.
    public init(json text: String) throws(GoogleServiceAccountKeyError) {
        try self.init(json: Array(text.utf8))
    }

    /// Parses the key file's bytes.
    ///
    /// - Throws: ``GoogleServiceAccountKeyError`` naming the missing or invalid field.
    public init(json bytes: some Collection<UInt8>) throws(GoogleServiceAccountKeyError) {
        guard case .object(let fields)? = try? JSONValue.parse(bytes) else { throw .notJSON }
        let type = try Self.text(fields, "type")
        guard type == "service_account" else {
            throw .invalidField("type", reason: "it is \"\(type.prefix(40))\", not \"service_account\" (is this an OAuth client file?)")
        }
        clientEmail = try Self.text(fields, "client_email")
        guard clientEmail.contains("@") else { throw .invalidField("client_email", reason: "it is not an email address") }
        let pem = try Self.text(fields, "private_key")
        guard pem.contains("-----BEGIN") else { throw .invalidField("private_key", reason: "it is not a PEM private key") }
        do {
            signingKey = try _RSA.Signing.PrivateKey(pemRepresentation: pem)
        } catch {
            throw .invalidField("private_key", reason: "it is not an RSA private key of at least 2048 bits")
        }
        privateKeyId = try Self.optionalText(fields, "private_key_id")
        let uri = try Self.optionalText(fields, "token_uri") ?? Self.defaultTokenURI
        guard let url = URL(string: uri), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host?.isEmpty == false else {
            throw .invalidField("token_uri", reason: "it is not an http(s) URL")
        }
        tokenURI = uri
    }

    /// The RS256 signature (RSASSA-PKCS1-v1_5 over SHA-256) of `bytes`.
    func rs256Signature(of bytes: [UInt8]) throws -> [UInt8] {
        // PKCS#1 v1.5 is what RS256 means; the library's default padding (PSS) is not RS256.
        Array(try signingKey.signature(for: bytes, padding: .insecurePKCS1v1_5).rawRepresentation)
    }

    public var description: String {
        "Google service account \(clientEmail) (key id \(privateKeyId ?? "none"), private key redacted)"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "clientEmail": clientEmail, "privateKeyId": privateKeyId as Any, "tokenURI": tokenURI, "privateKey": "<redacted>",
            ]
        )
    }

    /// The non-empty string `field`.
    private static func text(_ fields: [String: JSONValue], _ field: String) throws(GoogleServiceAccountKeyError) -> String {
        guard let value = try optionalText(fields, field) else { throw .missingField(field) }
        return value
    }

    /// The string `field`, nil when absent, null or empty.
    private static func optionalText(_ fields: [String: JSONValue], _ field: String) throws(GoogleServiceAccountKeyError) -> String? {
        switch fields[field] {
        case nil, .null?: return nil
        case .string(let value)?:
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? nil : trimmed
        case .some: throw .invalidField(field, reason: "it is not a string")
        }
    }
}
