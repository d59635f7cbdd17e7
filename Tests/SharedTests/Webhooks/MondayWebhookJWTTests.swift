import Foundation
import Shared
import Testing

@Suite("Webhook signatures: monday JWT")
struct MondayWebhookJWTTests {
    let secret = "monday-signing-secret"
    let now = Date(timeIntervalSince1970: 1_767_225_600)

    func token(exp: Double? = 1_767_225_600 + 3600, secret: String? = nil, alg: String = "HS256") -> String {
        var claims: [String: JSONValue] = ["accountId": 1, "userId": 2, "aud": "https://example.com/hooks/abc", "iat": 1_767_225_500]
        if let exp, let number = JSONNumber(exp) { claims["exp"] = .number(number) }
        return WebhookSignatures.mondayJWT(claims: claims, signingSecret: secret ?? self.secret, alg: alg)
    }

    @Test func acceptsAValidTokenWithOrWithoutBearer() throws {
        try WebhookSignatures.verifyMondayJWT(authorization: token(), signingSecret: secret, now: now)
        try WebhookSignatures.verifyMondayJWT(authorization: "Bearer \(token())", signingSecret: secret, now: now)
        try WebhookSignatures.verifyMondayJWT(authorization: "bearer \(token())", signingSecret: secret, now: now)
        try WebhookSignatures.verifyMondayJWT(authorization: token(exp: nil), signingSecret: secret, now: now)
    }

    @Test func acceptsATokenSignedByAnotherLibrary() throws {
        // {"alg":"HS256","typ":"JWT"}.{"accountId":1,"exp":1767229200} signed with "monday-signing-secret"
        // by Python's hmac module, independently of the Swift helper.
        let external =
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJhY2NvdW50SWQiOjEsImV4cCI6MTc2NzIyOTIwMH0."
            + "R6XzW6vPa-NbLQ495W61daxggrTMKgpHrF4HePLj0gc"
        try WebhookSignatures.verifyMondayJWT(authorization: "Bearer \(external)", signingSecret: secret, now: now)
        #expect(throws: WebhookRejection.badSignature("JWT expired at 2026-01-01T01:00:00Z")) {
            try WebhookSignatures.verifyMondayJWT(authorization: external, signingSecret: secret, now: now.addingTimeInterval(3661))
        }
    }

    @Test func rejectsAnExpiredTokenAfterTheLeeway() throws {
        let expired = token(exp: 1_767_225_600 - 61)
        #expect(throws: WebhookRejection(status: 401, outcome: "bad_signature", reason: "JWT expired at 2025-12-31T23:58:59Z")) {
            try WebhookSignatures.verifyMondayJWT(authorization: expired, signingSecret: secret, now: now)
        }
        // Within the 60 s leeway.
        try WebhookSignatures.verifyMondayJWT(authorization: token(exp: 1_767_225_600 - 60), signingSecret: secret, now: now)
    }

    @Test func rejectsTheWrongSecret() {
        #expect(throws: WebhookRejection.badSignature("JWT signature does not match (wrong signing secret?)")) {
            try WebhookSignatures.verifyMondayJWT(authorization: token(secret: "another-secret"), signingSecret: secret, now: now)
        }
    }

    @Test func rejectsAlgNone() {
        let signed = token()
        let parts = signed.split(separator: ".")
        // {"alg":"none","typ":"JWT"} with the valid payload and no signature.
        let unsigned = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.\(parts[1])."
        #expect(throws: WebhookRejection.badSignature("JWT alg none is not HS256")) {
            try WebhookSignatures.verifyMondayJWT(authorization: unsigned, signingSecret: secret, now: now)
        }
        #expect(throws: WebhookRejection.badSignature("JWT alg HS512 is not HS256")) {
            try WebhookSignatures.verifyMondayJWT(authorization: token(alg: "HS512"), signingSecret: secret, now: now)
        }
    }

    @Test func rejectsATamperedPayload() {
        let parts = token().split(separator: ".").map(String.init)
        let otherPayload = token(exp: 1_767_225_600 + 7200).split(separator: ".").map(String.init)[1]
        #expect(throws: WebhookRejection.badSignature("JWT signature does not match (wrong signing secret?)")) {
            try WebhookSignatures.verifyMondayJWT(
                authorization: "\(parts[0]).\(otherPayload).\(parts[2])",
                signingSecret: secret,
                now: now
            )
        }
    }

    @Test func rejectsMissingAndMalformedTokens() {
        #expect(throws: WebhookRejection.badSignature("missing Authorization header (monday JWT)")) {
            try WebhookSignatures.verifyMondayJWT(authorization: nil, signingSecret: secret, now: now)
        }
        #expect(throws: WebhookRejection.badSignature("malformed JWT: expected header.payload.signature")) {
            try WebhookSignatures.verifyMondayJWT(authorization: "Bearer abc.def", signingSecret: secret, now: now)
        }
        #expect(throws: WebhookRejection.badSignature("malformed JWT: the header is not base64url JSON")) {
            try WebhookSignatures.verifyMondayJWT(authorization: "!!.e30.abc", signingSecret: secret, now: now)
        }
        #expect(throws: WebhookRejection.badSignature("no signing secret is configured for this source")) {
            try WebhookSignatures.verifyMondayJWT(authorization: token(), signingSecret: "", now: now)
        }
    }
}
