import CryptoExtras
import Foundation
import Shared
import TestSupport
import Testing

@Suite("Google JWT assertion (RS256)")
struct GoogleJWTAssertionTests {
    static let issuedAt = Date(timeIntervalSince1970: 1_796_000_000)

    @Test func theAssertionCarriesGooglesClaims() throws {
        let key = try GoogleTestKey.key()
        let assertion = GoogleJWTAssertion(key: key, audience: "https://oauth2.googleapis.com/token", now: Self.issuedAt)
        let jwt = try assertion.signed(with: key)
        let parts = jwt.split(separator: ".", omittingEmptySubsequences: false)
        try #require(parts.count == 3)
        #expect(!jwt.contains("=") && !jwt.contains("+") && !jwt.contains("/"))
        let header = try #require(GoogleTestKey.bytes(base64URL: parts[0]).flatMap { try? JSONValue.parse($0) }?.objectMembers)
        #expect(header == ["alg": "RS256", "typ": "JWT", "kid": .string(GoogleTestKey.keyId)])
        let claims = try #require(GoogleTestKey.bytes(base64URL: parts[1]).flatMap { try? JSONValue.parse($0) }?.objectMembers)
        #expect(claims["iss"]?.scalarText == GoogleTestKey.clientEmail)
        #expect(claims["scope"]?.scalarText == "https://www.googleapis.com/auth/spreadsheets.readonly")
        #expect(claims["aud"]?.scalarText == "https://oauth2.googleapis.com/token")
        #expect(claims["iat"]?.scalarText == "1796000000")
        #expect(claims["exp"]?.scalarText == "1796003600")
        #expect(claims.count == 5)
    }

    @Test func theSignatureIsPKCS1v15OverSHA256NotPSS() throws {
        let key = try GoogleTestKey.key()
        let jwt = try GoogleJWTAssertion(key: key, audience: "https://oauth2.googleapis.com/token", now: Self.issuedAt).signed(with: key)
        let parts = jwt.split(separator: ".")
        let signature = _RSA.Signing.RSASignature(rawRepresentation: try #require(GoogleTestKey.bytes(base64URL: parts[2])))
        let signingInput = Data("\(parts[0]).\(parts[1])".utf8)
        let publicKey = GoogleTestKey.rsaKey.publicKey
        #expect(signature.rawRepresentation.count == 256)
        #expect(publicKey.isValidSignature(signature, for: signingInput, padding: .insecurePKCS1v1_5))
        #expect(!publicKey.isValidSignature(signature, for: signingInput, padding: .PSS))
        #expect(!GoogleTestKey.otherRSAKey.publicKey.isValidSignature(signature, for: signingInput, padding: .insecurePKCS1v1_5))
        // PKCS#1 v1.5 is deterministic: the same claims sign to the same JWT.
        #expect(try GoogleJWTAssertion(key: key, audience: "https://oauth2.googleapis.com/token", now: Self.issuedAt).signed(with: key) == jwt)
    }

    @Test func aKeyWithoutAnIdSendsNoKid() throws {
        let key = try GoogleServiceAccountKey(json: GoogleTestKey.json(GoogleTestKey.fields(omitting: ["private_key_id"])))
        let jwt = try GoogleJWTAssertion(key: key, audience: "https://oauth2.googleapis.com/token", now: Self.issuedAt).signed(with: key)
        let header = GoogleTestKey.bytes(base64URL: jwt.split(separator: ".")[0]).flatMap { try? JSONValue.parse($0) }?.objectMembers
        #expect(header == ["alg": "RS256", "typ": "JWT"])
    }
}
