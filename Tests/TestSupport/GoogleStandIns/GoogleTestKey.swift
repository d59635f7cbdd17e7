import Foundation
import Shared
import _CryptoExtras

/// An RSA key made for the tests, and the service-account key file Google would hand out for it.
public enum GoogleTestKey {
    /// The account's email in every test key file.
    public static let clientEmail = "leadrelay-poller@test-project.iam.gserviceaccount.com"
    /// The key id in every test key file.
    public static let keyId = "0123456789abcdef0123456789abcdef01234567"

    /// The account's key (2048 bits, generated once per test run).
    public static let rsaKey = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    /// A second key: a stand-in that trusts only this one refuses assertions signed with ``rsaKey``.
    public static let otherRSAKey = try! _RSA.Signing.PrivateKey(keySize: .bits2048)

    /// ``rsaKey`` as Google writes it: PKCS#8 PEM.
    public static var pem: String { rsaKey.pkcs8PEMRepresentation }

    /// The fields of a key file for ``rsaKey`` (`token_uri` when given); `omitting` drops fields.
    public static func fields(tokenURI: String = "https://oauth2.googleapis.com/token", omitting: Set<String> = []) -> [String: String] {
        var fields = [
            "type": "service_account", "project_id": "test-project", "private_key_id": keyId, "private_key": pem,
            "client_email": clientEmail, "client_id": "123456789012345678901", "token_uri": tokenURI,
            "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        ]
        for field in omitting { fields.removeValue(forKey: field) }
        return fields
    }

    /// A key file (JSON text, the PEM's line breaks escaped as `\n`) with `fields`.
    public static func json(_ fields: [String: String]) -> String {
        String(decoding: try! JSONEncoder().encode(fields), as: UTF8.self)
    }

    /// The parsed key for ``rsaKey`` whose `token_uri` is `tokenURI`.
    public static func key(tokenURI: String = "https://oauth2.googleapis.com/token") throws -> GoogleServiceAccountKey {
        try GoogleServiceAccountKey(json: json(fields(tokenURI: tokenURI)))
    }

    /// The base64 body lines of ``pem``: none may ever appear in a description, error or log.
    public static var pemBodyLines: [String] {
        pem.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("-----") }
    }

    /// The bytes of base64url text (no padding), for reading JWTs.
    public static func bytes(base64URL text: some StringProtocol) -> [UInt8]? {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.utf8.count % 4 != 0 { standard += "=" }
        return Data(base64Encoded: standard).map(Array.init)
    }
}
