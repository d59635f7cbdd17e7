import Foundation
import Shared
import Testing

@Suite("Webhook signatures: Standard Webhooks (Shopmonkey)")
struct StandardWebhookSignatureTests {
    let body: [UInt8]
    let secret: String
    let headers: [String: String]

    init() throws {
        body = try WebhookFixture.bytes("shopmonkey_customer_insert.json")
        secret = try WebhookFixture.text("shopmonkey.secret")
        headers = try WebhookFixture.headers("shopmonkey_customer_insert.headers")
    }

    /// A fresh copy: the fixture's id and body with the current time, signed with the fixture secret.
    func fresh(now: Date = Date()) -> (id: String, timestamp: String, signature: String) {
        let id = headers["webhook-id"] ?? "msg"
        let timestamp = String(Int64(now.timeIntervalSince1970))
        return (id, timestamp, WebhookSignatures.standardWebhookSignature(id: id, timestamp: timestamp, body: body, secret: secret))
    }

    @Test func theFixtureSignatureIsValidAtItsOwnTime() throws {
        let fixtureTime = Date(timeIntervalSince1970: 1_767_225_600)
        #expect(
            WebhookSignatures.standardWebhookSignature(id: "msg_2b8zQ", timestamp: "1767225600", body: body, secret: secret)
                == headers["webhook-signature"]
        )
        try WebhookSignatures.verifyStandardWebhook(
            id: headers["webhook-id"],
            timestamp: headers["webhook-timestamp"],
            signatures: headers["webhook-signature"],
            body: body,
            secret: secret,
            now: fixtureTime.addingTimeInterval(299)
        )
    }

    @Test func aFreshlySignedCopyPasses() throws {
        let copy = fresh()
        try WebhookSignatures.verifyStandardWebhook(
            id: copy.id,
            timestamp: copy.timestamp,
            signatures: copy.signature,
            body: body,
            secret: secret
        )
    }

    @Test func theFixtureAsIsFailsOnItsStaleTimestamp() {
        let now = Date()
        let age = Int64(now.timeIntervalSince1970) - 1_767_225_600
        #expect(
            throws: WebhookRejection(
                status: 401,
                outcome: "bad_signature",
                reason: "timestamp 1767225600 is \(age) s in the past, outside the 5 minute tolerance"
            )
        ) {
            try WebhookSignatures.verifyStandardWebhook(
                id: headers["webhook-id"],
                timestamp: headers["webhook-timestamp"],
                signatures: headers["webhook-signature"],
                body: body,
                secret: secret,
                now: now
            )
        }
        // The default `now` is the real time too.
        #expect(throws: WebhookRejection.self) {
            try WebhookSignatures.verifyStandardWebhook(
                id: headers["webhook-id"],
                timestamp: headers["webhook-timestamp"],
                signatures: headers["webhook-signature"],
                body: body,
                secret: secret
            )
        }
    }

    @Test func theToleranceIsFiveMinutesEitherWay() throws {
        let now = Date(timeIntervalSince1970: 1_767_225_600 + 300)
        try WebhookSignatures.verifyStandardWebhook(
            id: headers["webhook-id"],
            timestamp: headers["webhook-timestamp"],
            signatures: headers["webhook-signature"],
            body: body,
            secret: secret,
            now: now
        )
        #expect(throws: WebhookRejection.badSignature("timestamp 1767225600 is 301 s in the past, outside the 5 minute tolerance")) {
            try WebhookSignatures.verifyStandardWebhook(
                id: headers["webhook-id"],
                timestamp: headers["webhook-timestamp"],
                signatures: headers["webhook-signature"],
                body: body,
                secret: secret,
                now: now.addingTimeInterval(1)
            )
        }
        let future = fresh(now: Date(timeIntervalSince1970: 1_767_225_600 + 400))
        #expect(throws: WebhookRejection.badSignature("timestamp 1767226000 is 400 s in the future, outside the 5 minute tolerance")) {
            try WebhookSignatures.verifyStandardWebhook(
                id: future.id,
                timestamp: future.timestamp,
                signatures: future.signature,
                body: body,
                secret: secret,
                now: Date(timeIntervalSince1970: 1_767_225_600)
            )
        }
    }

    @Test func oneValidSignatureAmongSeveralPasses() throws {
        let copy = fresh()
        let other = WebhookSignatures.standardWebhookSignature(
            id: copy.id,
            timestamp: copy.timestamp,
            body: body,
            secret: "whsec_b2xkLXJvdGF0ZWQta2V5"
        )
        let header = "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= \(other) v1a,c29tZXRoaW5nLWFzeW1tZXRyaWM= \(copy.signature)"
        try WebhookSignatures.verifyStandardWebhook(
            id: copy.id,
            timestamp: copy.timestamp,
            signatures: header,
            body: body,
            secret: secret
        )
        #expect(throws: WebhookRejection.badSignature("webhook-signature does not match the body")) {
            try WebhookSignatures.verifyStandardWebhook(
                id: copy.id,
                timestamp: copy.timestamp,
                signatures: "v1,not-base64!! \(other)",
                body: body,
                secret: secret
            )
        }
    }

    @Test func theWrongSecretFails() {
        let copy = fresh()
        #expect(throws: WebhookRejection(status: 401, outcome: "bad_signature", reason: "webhook-signature does not match the body")) {
            try WebhookSignatures.verifyStandardWebhook(
                id: copy.id,
                timestamp: copy.timestamp,
                signatures: copy.signature,
                body: body,
                secret: "whsec_d3Jvbmcta2V5LXdyb25nLWtleQ=="
            )
        }
    }

    @Test func aChangedBodyOrIdFails() {
        let copy = fresh()
        var forged = body
        forged[forged.count - 5] = UInt8(ascii: "9")  // postalCode 10583 → 10593
        #expect(throws: WebhookRejection.badSignature("webhook-signature does not match the body")) {
            try WebhookSignatures.verifyStandardWebhook(
                id: copy.id,
                timestamp: copy.timestamp,
                signatures: copy.signature,
                body: forged,
                secret: secret
            )
        }
        #expect(throws: WebhookRejection.badSignature("webhook-signature does not match the body")) {
            try WebhookSignatures.verifyStandardWebhook(
                id: "msg_other",
                timestamp: copy.timestamp,
                signatures: copy.signature,
                body: body,
                secret: secret
            )
        }
    }

    @Test func missingHeadersFail() {
        let copy = fresh()
        #expect(throws: WebhookRejection.badSignature("missing webhook-id header")) {
            try WebhookSignatures.verifyStandardWebhook(
                id: nil,
                timestamp: copy.timestamp,
                signatures: copy.signature,
                body: body,
                secret: secret
            )
        }
        #expect(throws: WebhookRejection.badSignature("missing webhook-timestamp header")) {
            try WebhookSignatures.verifyStandardWebhook(
                id: copy.id,
                timestamp: "",
                signatures: copy.signature,
                body: body,
                secret: secret
            )
        }
        #expect(throws: WebhookRejection.badSignature("missing webhook-signature header")) {
            try WebhookSignatures.verifyStandardWebhook(
                id: copy.id,
                timestamp: copy.timestamp,
                signatures: nil,
                body: body,
                secret: secret
            )
        }
        #expect(
            throws: WebhookRejection(
                status: 401,
                outcome: "bad_signature",
                reason: "missing webhook-id, webhook-timestamp, webhook-signature headers"
            )
        ) {
            try WebhookSignatures.verifyStandardWebhook(id: nil, timestamp: nil, signatures: nil, body: body, secret: secret)
        }
    }

    @Test func aSignatureHeaderWithoutV1EntriesIsMalformed() {
        let copy = fresh()
        #expect(throws: WebhookRejection.badSignature("malformed webhook-signature header: no v1,<base64> signature")) {
            try WebhookSignatures.verifyStandardWebhook(
                id: copy.id,
                timestamp: copy.timestamp,
                signatures: copy.signature.replacingOccurrences(of: "v1,", with: "v2,"),
                body: body,
                secret: secret
            )
        }
    }

    @Test func aTimestampThatIsNotUnixSecondsFails() {
        let id = "msg_1"
        let timestamp = "2026-01-01T00:00:00Z"
        let signature = WebhookSignatures.standardWebhookSignature(id: id, timestamp: timestamp, body: body, secret: secret)
        #expect(throws: WebhookRejection.badSignature("malformed webhook-timestamp header: expected unix seconds")) {
            try WebhookSignatures.verifyStandardWebhook(id: id, timestamp: timestamp, signatures: signature, body: body, secret: secret)
        }
    }

    @Test func secretsWithoutThePrefixAreBase64OrRawText() throws {
        let copy = fresh()
        let base64 = String(secret.dropFirst("whsec_".count))
        // The same key without the prefix.
        try WebhookSignatures.verifyStandardWebhook(
            id: copy.id,
            timestamp: copy.timestamp,
            signatures: copy.signature,
            body: body,
            secret: base64
        )
        // A secret that is not base64 is used as its UTF-8 bytes.
        let raw = "not base64 at all!"
        let signature = WebhookSignatures.standardWebhookSignature(id: copy.id, timestamp: copy.timestamp, body: body, secret: raw)
        try WebhookSignatures.verifyStandardWebhook(
            id: copy.id,
            timestamp: copy.timestamp,
            signatures: signature,
            body: body,
            secret: raw
        )
        #expect(signature != copy.signature)
    }
}
