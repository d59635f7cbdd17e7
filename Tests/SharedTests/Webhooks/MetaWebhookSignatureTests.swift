import Foundation
import Shared
import Testing

@Suite("Webhook signatures: Meta and generic sha256=<hex>")
struct MetaWebhookSignatureTests {
    let body: [UInt8]
    let secret: String
    let signature: String

    init() throws {
        body = try WebhookFixture.bytes("facebook_leadgen.json")
        secret = try WebhookFixture.text("facebook_leadgen.secret")
        signature = try WebhookFixture.text("facebook_leadgen.sig")
    }

    @Test func acceptsTheFixtureSignature() throws {
        try WebhookSignatures.verifyMeta(body: body, header: signature, appSecret: secret)
        #expect(WebhookSignatures.hexSignature(body: body, secret: secret) == signature)
    }

    @Test func acceptsUpperCaseHexAndPrefix() throws {
        try WebhookSignatures.verifyMeta(body: body, header: signature.uppercased(), appSecret: secret)
    }

    @Test func rejectsABodyWithOneByteChanged() {
        var forged = body
        let index = forged.firstIndex(of: UInt8(ascii: "4")) ?? 0  // the first digit of leadgen_id 444000
        forged[index] = UInt8(ascii: "5")
        #expect(forged != body)
        #expect(throws: WebhookRejection(status: 401, outcome: "bad_signature", reason: "X-Hub-Signature-256 does not match the body")) {
            try WebhookSignatures.verifyMeta(body: forged, header: signature, appSecret: secret)
        }
    }

    @Test func rejectsTheWrongSecret() {
        #expect(throws: WebhookRejection.badSignature("X-Hub-Signature-256 does not match the body")) {
            try WebhookSignatures.verifyMeta(body: body, header: signature, appSecret: "another-secret")
        }
    }

    @Test func rejectsAMissingHeader() {
        #expect(throws: WebhookRejection(status: 401, outcome: "bad_signature", reason: "missing X-Hub-Signature-256 header")) {
            try WebhookSignatures.verifyMeta(body: body, header: nil, appSecret: secret)
        }
        #expect(throws: WebhookRejection.badSignature("missing X-Hub-Signature-256 header")) {
            try WebhookSignatures.verifyMeta(body: body, header: "  ", appSecret: secret)
        }
    }

    @Test(arguments: [
        ("sha1=288ec2bd84cc60efffea5a74a2958c95d34ea7d5", "malformed X-Hub-Signature-256 header: expected sha256=<hex>"),
        ("288ec2bd84cc60efffea5a74a2958c95d34ea7d53256d77540bad43f80445cda", "malformed X-Hub-Signature-256 header: expected sha256=<hex>"),
        ("sha256=", "malformed X-Hub-Signature-256 header: expected sha256=<hex>"),
        (
            "sha256=zz8ec2bd84cc60efffea5a74a2958c95d34ea7d53256d77540bad43f80445cda",
            "malformed X-Hub-Signature-256 header: the signature is not 64 hex digits"
        ),
        ("sha256=288ec2bd84cc60ef", "malformed X-Hub-Signature-256 header: the signature is not 64 hex digits"),
        (
            "sha256=288ec2bd84cc60efffea5a74a2958c95d34ea7d53256d77540bad43f80445cd",
            "malformed X-Hub-Signature-256 header: the signature is not 64 hex digits"
        ),
    ])
    func rejectsAMalformedHeader(header: String, reason: String) {
        #expect(throws: WebhookRejection.badSignature(reason)) {
            try WebhookSignatures.verifyMeta(body: body, header: header, appSecret: secret)
        }
    }

    @Test func refusesToVerifyWithAnEmptySecret() {
        let header = WebhookSignatures.hexSignature(body: body, secret: "")
        #expect(throws: WebhookRejection.badSignature("no app secret is configured for this source")) {
            try WebhookSignatures.verifyMeta(body: body, header: header, appSecret: "")
        }
    }

    @Test func genericSigningUsesTheSameFormatWithItsOwnHeaderName() throws {
        let zapier = try WebhookFixture.bytes("zapier.json")
        let header = WebhookSignatures.hexSignature(body: zapier, secret: "zap-secret")
        try WebhookSignatures.verifyGeneric(body: zapier, header: header, secret: "zap-secret")
        #expect(throws: WebhookRejection.badSignature("X-LeadRelay-Signature does not match the body")) {
            try WebhookSignatures.verifyGeneric(body: zapier, header: header, secret: "other")
        }
        #expect(throws: WebhookRejection.badSignature("missing X-LeadRelay-Signature header")) {
            try WebhookSignatures.verifyGeneric(body: zapier, header: nil, secret: "zap-secret")
        }
        #expect(throws: WebhookRejection.badSignature("malformed X-LeadRelay-Signature header: expected sha256=<hex>")) {
            try WebhookSignatures.verifyGeneric(body: zapier, header: "md5=abc", secret: "zap-secret")
        }
    }

    @Test func rejectionDescribesStatusOutcomeAndReason() {
        #expect(
            WebhookRejection.badSignature("missing X-Hub-Signature-256 header").description
                == "401 bad_signature: missing X-Hub-Signature-256 header"
        )
        #expect(WebhookRejection.rejected(422, "x") == WebhookRejection(status: 422, outcome: "rejected", reason: "x"))
    }
}
