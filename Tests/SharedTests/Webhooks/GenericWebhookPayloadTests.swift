import Foundation
import Shared
import Testing

@Suite("Webhook payloads: generic / Zapier")
struct GenericWebhookPayloadTests {
    let ana: [String: JSONValue] = [
        "full_name": "Ana Diaz", "email": "ana.zap@example.com", "phone_number": "+12015550111",
        "ad_name": "Spring Promo", "form_name": "Free Inspection", "zip_code": "55344",
    ]

    @Test func aJSONObjectIsOneItem() throws {
        let items = try GenericWebhookPayload.items(body: WebhookFixture.bytes("zapier.json"), contentType: "application/json")
        #expect(items == [ana])
    }

    @Test func aJSONArrayIsOneItemPerObject() throws {
        let items = try GenericWebhookPayload.items(
            body: WebhookFixture.bytes("zapier_array.json"),
            contentType: "application/json; charset=utf-8"
        )
        var ben = ana
        ben["full_name"] = "Ben Smith"
        ben["email"] = "ben.zap@example.com"
        #expect(items == [ana, ben])
    }

    @Test func aFormIsOneItemOfStrings() throws {
        let items = try GenericWebhookPayload.items(
            body: WebhookFixture.bytes("zapier_form.txt"),
            contentType: "application/x-www-form-urlencoded; charset=UTF-8"
        )
        #expect(items == [ana])
    }

    @Test func theItemsMapToLeadFields() throws {
        let items = try GenericWebhookPayload.items(
            body: WebhookFixture.bytes("zapier_form.txt"),
            contentType: "application/x-www-form-urlencoded"
        )
        let input = LeadInput(object: try #require(items.first))
        #expect(input.fields == [.fullName: "Ana Diaz", .email: "ana.zap@example.com", .phone: "+12015550111", .postalCode: "55344"])
        #expect(input.extra == ["ad_name": "Spring Promo", "form_name": "Free Inspection"])
    }

    @Test func repeatedFormKeysAreJoinedAndEscapesDecoded() throws {
        let body = Array("interest=Roofing&interest=Siding&Which+location%3F=Hoboken+%26+Scarsdale&note=caf%C3%A9&flag&bad=%zz&=x".utf8)
        let items = try GenericWebhookPayload.items(body: body, contentType: "application/x-www-form-urlencoded")
        #expect(
            items == [
                [
                    "interest": "Roofing, Siding", "Which location?": "Hoboken & Scarsdale", "note": "café",
                    "flag": "", "bad": "%zz",
                ]
            ]
        )
    }

    @Test func aLatin1FormIsDecodedAsLatin1() throws {
        let body = Array("name=Jos%E9".utf8)
        let items = try GenericWebhookPayload.items(body: body, contentType: "application/x-www-form-urlencoded; charset=ISO-8859-1")
        #expect(items == [["name": "José"]])
    }

    @Test func withoutAContentTypeTheBodyIsSniffed() throws {
        #expect(try GenericWebhookPayload.items(body: WebhookFixture.bytes("zapier_array.json"), contentType: nil).count == 2)
        #expect(try GenericWebhookPayload.items(body: WebhookFixture.bytes("zapier_form.txt"), contentType: nil) == [ana])
        #expect(
            try GenericWebhookPayload.items(body: Array(#"{"a": 1}"#.utf8), contentType: "application/vnd.api+json")
                == [["a": 1]]
        )
    }

    @Test func nestedValuesAreKeptAsReceived() throws {
        let body = Array(#"{"email": "a@example.com", "tags": ["x", "y"], "meta": {"k": null}, "age": 41, "ok": true}"#.utf8)
        let items = try GenericWebhookPayload.items(body: body, contentType: "application/json")
        #expect(items == [["email": "a@example.com", "tags": ["x", "y"], "meta": ["k": nil], "age": 41, "ok": true]])
    }

    @Test(arguments: ["application/json", "application/x-www-form-urlencoded", nil as String?])
    func anEmptyBodyIsRejected(contentType: String?) {
        #expect(throws: WebhookRejection(status: 400, outcome: "rejected", reason: "empty body")) {
            try GenericWebhookPayload.items(body: [], contentType: contentType)
        }
        #expect(throws: WebhookRejection.rejected(400, "empty body")) {
            try GenericWebhookPayload.items(body: Array(" \r\n".utf8), contentType: contentType)
        }
    }

    @Test func malformedJSONIsRejectedSayingWhere() throws {
        do {
            _ = try GenericWebhookPayload.items(body: Array(#"{"email": "a@example.com",, }"#.utf8), contentType: "application/json")
            Issue.record("malformed JSON was accepted")
        } catch {
            #expect(error.status == 400)
            #expect(error.outcome == "rejected")
            #expect(error.reason.hasPrefix("malformed JSON: "), "\(error.reason)")
            #expect(error.reason.count > "malformed JSON: ".count)
        }
    }

    @Test(arguments: [("42", "a number"), ("\"hello\"", "a string"), ("null", "null"), ("true", "a boolean")])
    func aJSONScalarIsUnprocessable(body: String, kind: String) {
        #expect(
            throws: WebhookRejection(
                status: 422,
                outcome: "rejected",
                reason: "expected a JSON object or an array of objects, got \(kind)"
            )
        ) {
            try GenericWebhookPayload.items(body: Array(body.utf8), contentType: "application/json")
        }
    }

    @Test func anArrayMustHoldObjects() {
        #expect(throws: WebhookRejection.rejected(422, "item 1 of the JSON array is a string, expected an object")) {
            try GenericWebhookPayload.items(body: Array(#"[{"email": "a@example.com"}, "b"]"#.utf8), contentType: "application/json")
        }
        #expect(throws: WebhookRejection.rejected(422, "the JSON array holds no items")) {
            try GenericWebhookPayload.items(body: Array("[]".utf8), contentType: "application/json")
        }
    }

    @Test func aFormWithoutFieldsIsUnprocessable() {
        #expect(throws: WebhookRejection.rejected(422, "the form holds no fields")) {
            try GenericWebhookPayload.items(body: Array("&&=x".utf8), contentType: "application/x-www-form-urlencoded")
        }
    }

    @Test(arguments: ["text/html", "multipart/form-data; boundary=x", "text/plain; charset=utf-8"])
    func anotherContentTypeIsUnsupported(contentType: String) throws {
        let name = String(contentType.prefix { $0 != ";" })
        #expect(
            throws: WebhookRejection(
                status: 415,
                outcome: "rejected",
                reason: "unsupported content type \(name); send application/json or application/x-www-form-urlencoded"
            )
        ) {
            try GenericWebhookPayload.items(body: WebhookFixture.bytes("zapier.json"), contentType: contentType)
        }
    }
}
