import Foundation
import Shared
import Testing

@Suite("Webhook payloads: Meta Lead Ads")
struct MetaLeadgenWebhookPayloadTests {
    @Test func theFixtureHoldsTwoLeadgenChanges() throws {
        let changes = try MetaLeadgenPayload.changes(body: WebhookFixture.bytes("facebook_leadgen.json"))
        #expect(
            changes == [
                MetaLeadgenChange(leadgenId: "444000", pageId: "1111", formId: "5555", adId: "6666", createdTime: 1_767_225_599),
                MetaLeadgenChange(leadgenId: "444001", pageId: "1111", formId: "5555", adId: "6666", createdTime: 1_767_225_599),
            ]
        )
    }

    @Test func aThousandEntryBatchGivesAThousandChanges() throws {
        let entries = (0..<1000).map { index in
            #"{"id":"1111","time":1767225600,"changes":[{"field":"leadgen","value":{"leadgen_id":"\#(900_000 + index)","#
                + #""page_id":"1111","form_id":"5555","ad_id":"6666","adgroup_id":"7777","created_time":\#(1_767_225_000 + index)}}]}"#
        }
        let body = Array(#"{"object":"page","entry":[\#(entries.joined(separator: ","))]}"#.utf8)
        let changes = try MetaLeadgenPayload.changes(body: body)
        #expect(changes.count == 1000)
        #expect(Set(changes.map(\.leadgenId)).count == 1000)
        #expect(
            changes.first
                == MetaLeadgenChange(
                    leadgenId: "900000",
                    pageId: "1111",
                    formId: "5555",
                    adId: "6666",
                    createdTime: 1_767_225_000
                )
        )
        #expect(changes.last?.leadgenId == "900999")
        #expect(changes.last?.createdTime == 1_767_225_999)
    }

    @Test func otherFieldsAreIgnoredAndNumericIdsAccepted() throws {
        let body = Array(
            #"""
            {"object":"page","entry":[{"id":"42","time":1,"changes":[
              {"field":"feed","value":{"item":"status"}},
              {"field":"leadgen","value":{"leadgen_id":123456789012,"form_id":5}}
            ]},{"id":"43","time":1}]}
            """#.utf8
        )
        #expect(
            try MetaLeadgenPayload.changes(body: body) == [
                MetaLeadgenChange(leadgenId: "123456789012", pageId: "42", formId: "5", adId: nil, createdTime: nil)
            ]
        )
        let noLeads = Array(#"{"object":"page","entry":[{"id":"42","time":1,"changes":[{"field":"feed","value":{}}]}]}"#.utf8)
        #expect(try MetaLeadgenPayload.changes(body: noLeads).isEmpty)
    }

    @Test(arguments: [
        ("", 400, "empty body"),
        (#"[{"object":"page"}]"#, 422, "expected a JSON object, got an array"),
        (#"{"object":"user","entry":[]}"#, 422, #"object is "user", expected "page""#),
        (#"{"entry":[]}"#, 422, #"no "object" field; expected "page""#),
        (#"{"object":"page"}"#, 422, "the notification has no entry"),
        (#"{"object":"page","entry":[]}"#, 422, "the notification has no entry"),
        (#"{"object":"page","entry":[7]}"#, 422, "entry 0 is a number, expected an object"),
        (
            #"{"object":"page","entry":[{"changes":[{"field":"leadgen","value":{"page_id":"1"}}]}]}"#, 422,
            "entry 0 change 0: a leadgen change without leadgen_id"
        ),
    ])
    func unusableNotificationsAreRejected(body: String, status: Int, reason: String) {
        #expect(throws: WebhookRejection(status: status, outcome: "rejected", reason: reason)) {
            try MetaLeadgenPayload.changes(body: Array(body.utf8))
        }
    }

    @Test func malformedJSONIsA400() {
        #expect {
            try MetaLeadgenPayload.changes(body: Array(#"{"object":"page","entry":[{"id":"1"}"#.utf8))
        } throws: { error in
            guard let rejection = error as? WebhookRejection else { return false }
            return rejection.status == 400 && rejection.outcome == "rejected" && rejection.reason.hasPrefix("malformed JSON: ")
        }
    }

    @Test func graphURLs() {
        #expect(
            MetaLeadgenPayload.graphURL(baseURL: nil, leadgenId: "444000", accessToken: "EAAB/x+y=z&w")
                == "https://graph.facebook.com/v21.0/444000?fields=id,created_time,ad_id,form_id,field_data&access_token=EAAB%2Fx%2By%3Dz%26w"
        )
        #expect(
            MetaLeadgenPayload.graphURL(baseURL: "http://127.0.0.1:9000/graph/", leadgenId: "444001", accessToken: "tok")
                == "http://127.0.0.1:9000/graph/444001?fields=id,created_time,ad_id,form_id,field_data&access_token=tok"
        )
        #expect(
            MetaLeadgenPayload.graphURL(baseURL: " ", leadgenId: "1", accessToken: "t")
                == "https://graph.facebook.com/v21.0/1?fields=id,created_time,ad_id,form_id,field_data&access_token=t"
        )
    }

    @Test(arguments: [("facebook_graph_lead_444000.json", "0"), ("facebook_graph_lead_444001.json", "1")])
    func graphLeadsBecomeFlatObjects(file: String, n: String) throws {
        let lead = try MetaLeadgenPayload.graphLead(body: WebhookFixture.bytes(file))
        #expect(
            lead == [
                "full_name": .string("Noa Levi \(n)"),
                "email": .string("noa\(n)@example.com"),
                "phone_number": .string("+97250123456\(n)"),
                "which_location_do_you_prefer?": "Scarsdale",
                "id": .string("44400\(n)"),
                "created_time": "2026-01-01T00:00:00+0000",
                "form_id": "5555",
                "ad_id": "6666",
            ]
        )
        let input = LeadInput(object: lead)
        #expect(
            input.fields == [
                .fullName: "Noa Levi \(n)", .email: "noa\(n)@example.com", .phone: "+97250123456\(n)",
                .externalId: "44400\(n)",
            ]
        )
        #expect(
            input.extra == [
                "which_location_do_you_prefer?": "Scarsdale", "created_time": "2026-01-01T00:00:00+0000",
                "form_id": "5555", "ad_id": "6666",
            ]
        )
    }

    @Test func severalValuesAreJoinedAndTheLeadIdWins() throws {
        let body = Array(
            #"""
            {"id":"9","field_data":[{"name":"services","values":["Roof","Gutters"]},{"name":"id","values":["form-id"]},
             {"name":"empty","values":[]}]}
            """#.utf8
        )
        #expect(try MetaLeadgenPayload.graphLead(body: body) == ["services": "Roof, Gutters", "id": "9"])
    }

    @Test(arguments: [
        (
            #"{"error":{"message":"Invalid OAuth access token.","type":"OAuthException","code":190}}"#,
            "Graph API error 190: Invalid OAuth access token."
        ),
        (#"{"id":"1"}"#, "the Graph API answer has no field_data"),
        (#"{"field_data":[]}"#, "the Graph API answer has no lead id"),
        (#"{"id":"1","field_data":[{"values":["x"]}]}"#, "field_data item 0 has no name"),
        ("[]", "expected a JSON object, got an array"),
        ("", "empty Graph API answer"),
    ])
    func malformedGraphAnswersAreBadGateway(body: String, reason: String) {
        #expect(throws: WebhookRejection(status: 502, outcome: "rejected", reason: reason)) {
            try MetaLeadgenPayload.graphLead(body: Array(body.utf8))
        }
    }

    @Test func aGraphAnswerThatIsNotJSONIsBadGateway() {
        #expect {
            try MetaLeadgenPayload.graphLead(body: Array("<html>502 Bad Gateway</html>".utf8))
        } throws: { error in
            guard let rejection = error as? WebhookRejection else { return false }
            return rejection.status == 502 && rejection.reason.hasPrefix("malformed JSON in Graph API answer: ")
        }
    }
}
