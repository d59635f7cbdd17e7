import Foundation
import Shared
import Testing

@Suite("Webhook payloads: Shopmonkey")
struct ShopmonkeyWebhookPayloadTests {
    @Test func aCustomerInsertBecomesALead() throws {
        let event = try ShopmonkeyPayload.event(body: WebhookFixture.bytes("shopmonkey_customer_insert.json"))
        let expected: [String: JSONValue] = [
            "first_name": "Tal", "last_name": "Ben-David", "email": "tal@example.com", "phone": "+12015550188",
            "postal_code": "10583", "external_id": "shopmonkey:cus_1",
        ]
        #expect(event == .customer(expected))
        let input = LeadInput(object: expected)
        #expect(
            input.fields == [
                .firstName: "Tal", .lastName: "Ben-David", .email: "tal@example.com", .phone: "+12015550188",
                .postalCode: "10583", .externalId: "shopmonkey:cus_1",
            ]
        )
        #expect(input.extra.isEmpty)
    }

    @Test func thePrimaryEmailAndPhoneWinElseTheFirst() throws {
        let body = Array(
            #"""
            {"operation":"INSERT","table":"customer","data":{"id":"cus_2","firstName":"Ada","lastName":null,
             "emails":[{"email":"old@example.com","primary":false},{"email":"main@example.com","primary":true}],
             "phoneNumbers":[{"number":"","primary":true},{"number":"+12015550100","primary":false},{"number":"+12015550101"}],
             "companyName":"Ada's Garage","marketingOptIn":true,"note":"call after 5","email":"shadow@example.com",
             "address":{"city":"Hoboken"},"customerType":"","deletedDate":null}}
            """#.utf8
        )
        #expect(
            try ShopmonkeyPayload.event(body: body)
                == .customer([
                    "first_name": "Ada", "email": "main@example.com", "phone": "+12015550100", "external_id": "shopmonkey:cus_2",
                    "companyName": "Ada's Garage", "marketingOptIn": true, "note": "call after 5",
                ])
        )
    }

    @Test(arguments: [
        (#"{"operation":"UPDATE","table":"order","data":{"id":"ord_1"}}"#, "order UPDATE"),
        (#"{"operation":"UPDATE","table":"customer","data":{"id":"cus_1"}}"#, "customer UPDATE"),
        (#"{"operation":"DELETE","table":"customer","data":{"id":"cus_1"}}"#, "customer DELETE"),
        (#"{"operation":"INSERT","table":"vehicle","data":{}}"#, "vehicle INSERT"),
    ])
    func otherTablesAndOperationsAreIgnored(body: String, description: String) throws {
        #expect(try ShopmonkeyPayload.event(body: Array(body.utf8)) == .ignored(description))
    }

    @Test(arguments: [
        ("", 400, "empty body"),
        ("42", 422, "expected a JSON object, got a number"),
        (#"{"operation":"INSERT"}"#, 422, "the event has no table"),
        (#"{"table":"customer"}"#, 422, "the event has no operation"),
        (#"{"operation":"INSERT","table":"customer"}"#, 422, "customer INSERT without a data object"),
    ])
    func unusableEventsAreRejected(body: String, status: Int, reason: String) {
        #expect(throws: WebhookRejection(status: status, outcome: "rejected", reason: reason)) {
            try ShopmonkeyPayload.event(body: Array(body.utf8))
        }
    }

    @Test func malformedJSONIsA400() {
        #expect {
            try ShopmonkeyPayload.event(body: Array(#"{"table":"customer","#.utf8))
        } throws: { error in
            (error as? WebhookRejection).map { $0.status == 400 && $0.reason.hasPrefix("malformed JSON: ") } ?? false
        }
    }
}
