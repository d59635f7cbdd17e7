import Foundation
import Shared
import Testing

@Suite("Webhook payloads: monday.com")
struct MondayWebhookPayloadTests {
    @Test func theChallengeIsEchoed() throws {
        #expect(
            try MondayPayload.event(body: WebhookFixture.bytes("monday_challenge.json"))
                == .challenge("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P")
        )
    }

    @Test func createPulse() throws {
        #expect(
            try MondayPayload.event(body: WebhookFixture.bytes("monday_create_pulse.json"))
                == .createPulse(boardId: 111, pulseId: 222, name: "Moshe Cohen", columnValues: [:])
        )
        #expect(MondayPayload.pulseFields(name: "Moshe Cohen", columnValues: [:]) == ["name": "Moshe Cohen"])
    }

    @Test func otherEventTypesAreReported() throws {
        let body = Array(#"{"event":{"type":"update_column_value","boardId":111,"pulseId":222}}"#.utf8)
        #expect(try MondayPayload.event(body: body) == .other(type: "update_column_value"))
    }

    @Test(arguments: [
        ("", 400, "empty body"),
        ("[1]", 422, "expected a JSON object, got an array"),
        (#"{"hello":"world"}"#, 422, #"expected {"challenge": …} or {"event": {…}}"#),
        (#"{"event":{"boardId":1}}"#, 422, "the event has no type"),
        (#"{"event":{"type":"create_pulse","pulseId":2}}"#, 422, "create_pulse without boardId"),
        (#"{"event":{"type":"create_pulse","boardId":1,"pulseId":"x"}}"#, 422, "create_pulse without pulseId"),
    ])
    func unusableEventsAreRejected(body: String, status: Int, reason: String) {
        #expect(throws: WebhookRejection(status: status, outcome: "rejected", reason: reason)) {
            try MondayPayload.event(body: Array(body.utf8))
        }
    }

    @Test func theItemQuery() throws {
        let query = MondayPayload.itemQuery(pulseId: 222)
        #expect(
            String(decoding: query, as: UTF8.self)
                == #"{"query":"query { items(ids: [222]) { id name column_values { id text } } }"}"#
        )
        let decoded = try JSONDecoder().decode([String: String].self, from: Data(query))
        #expect(decoded == ["query": "query { items(ids: [222]) { id name column_values { id text } } }"])
    }

    @Test func theItemAnswerBecomesAFlatObject() throws {
        let fields = try MondayPayload.itemFields(body: WebhookFixture.bytes("monday_item_query_response.json"))
        #expect(fields == ["name": "Moshe Cohen", "phone": "050-123-4567", "email": "moshe@example.com", "status": "לייד חדש"])
        let input = LeadInput(object: fields)
        #expect(input.fields == [.fullName: "Moshe Cohen", .phone: "050-123-4567", .email: "moshe@example.com"])
        #expect(input.extra == ["status": "לייד חדש"])
    }

    @Test func emptyColumnTextsAreSkipped() throws {
        let body = Array(
            #"""
            {"data":{"items":[{"id":"1","name":"A","column_values":[{"id":"email","text":""},{"id":"phone","text":null},{"id":"zip","text":"10583"}]}]}}
            """#.utf8
        )
        #expect(try MondayPayload.itemFields(body: body) == ["name": "A", "zip": "10583"])
    }

    @Test(arguments: [
        (
            #"{"errors":[{"message":"Not Authenticated"},{"message":"Again"}],"account_id":1}"#,
            "monday GraphQL error: Not Authenticated; Again"
        ),
        (
            #"{"error_message":"User unauthorized to perform action","error_code":"UserUnauthorizedException"}"#,
            "monday error: User unauthorized to perform action"
        ),
        (#"{"data":{"items":[]}}"#, "monday returned no item (deleted, or the token cannot see the board)"),
        (#"{"data":{}}"#, "the monday answer has no data.items"),
        ("", "empty monday answer"),
    ])
    func failedItemAnswersAreBadGateway(body: String, reason: String) {
        #expect(throws: WebhookRejection(status: 502, outcome: "rejected", reason: reason)) {
            try MondayPayload.itemFields(body: Array(body.utf8))
        }
    }

    @Test func pulseColumnValuesAreFlattenedWhereSimple() {
        let columns: [String: JSONValue] = [
            "email": ["email": "a@example.com", "text": "Work"],
            "phone": ["phone": "+12015550111", "countryShortName": "US"],
            "status": ["label": ["index": 1, "text": "New"], "post_id": nil],
            "text0": ["value": "hello"],
            "numbers": ["value": 5],
            "date4": ["date": "2026-01-01", "time": nil],
            "dropdown": ["chosenValues": [["id": 1, "name": "Roof"], ["id": 2, "name": "Siding"]]],
            "check": ["checked": true],
            "blank_email": ["email": "", "text": ""],
            "nothing": nil,
            "plain": "  zip 10583 ",
            "tags": ["a", "b"],
            "weird": ["x": ["y": 1]],
        ]
        #expect(
            MondayPayload.pulseFields(name: " Moshe Cohen ", columnValues: columns) == [
                "name": "Moshe Cohen",
                "email": "a@example.com",
                "phone": "+12015550111",
                "status": "New",
                "text0": "hello",
                "numbers": "5",
                "date4": "2026-01-01",
                "dropdown": "Roof, Siding",
                "check": "true",
                "plain": "zip 10583",
                "tags": "a, b",
                "weird": ["x": ["y": 1]],
            ]
        )
    }
}
