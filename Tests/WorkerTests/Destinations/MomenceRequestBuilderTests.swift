import Foundation
import NIOHTTP1
import Shared
import Testing
import WorkerApp

extension Destinations {
    @Suite("Momence request builder")
    struct MomenceRequestBuilderTests {
        typealias F = DestinationFixtures

        @Test func postsTheCustomerLeadWithTheTokenInTheBody() throws {
            var config = F.defaultConfig(.momence)
            config["countryCode"] = .string("US")
            let request = try DestinationRequestBuilder.build(
                lead: F.lead,
                destination: F.destination(.momence, config: config),
                secret: F.secret
            )
            #expect(request.method == .POST)
            #expect(request.url == "https://api.momence.com/integrations/customer-leads/12345/collect")
            #expect(request.headers.first(name: "Authorization") == nil)
            #expect(
                F.body(request) == [
                    "token": .string(F.secret), "email": .string("jane@example.com"), "firstName": .string("Jane"), "lastName": .string("Doe"),
                    "sourceId": .number(7), "phoneNumber": .string("+12015550291"), "zipCode": .string("60601"),
                    "discoveryAnswer": .string("Instagram"), "countryCode": .string("us"),
                ]
            )
            #expect(request.bodyText.contains(#""sourceId":7,"#), "sourceId is sent as an integer")
        }

        @Test func sourceIdGivenAsTextIsSentAsAnInteger() throws {
            let config: [String: JSONValue] = ["hostId": .number(987), "sourceId": .string("42")]
            let request = try DestinationRequestBuilder.build(
                lead: F.emailOnlyLead,
                destination: F.destination(.momence, config: config),
                secret: F.secret
            )
            #expect(request.url.hasSuffix("/customer-leads/987/collect"))
            #expect(F.body(request) == ["token": .string(F.secret), "email": .string("solo@example.com"), "sourceId": .number(42)])
        }

        @Test func phonesThatAreNotE164AreLeftOut() throws {
            let lead = DeliveryLead(id: 1, email: "a@example.com", phone: nil, phoneRaw: "555-0101")
            let request = try DestinationRequestBuilder.build(lead: lead, destination: F.destination(.momence), secret: F.secret)
            #expect(F.body(request)["phoneNumber"] == nil)
        }

        @Test(
            "cannot be sent",
            arguments: [
                (
                    F.phoneOnlyLead, F.defaultConfig(.momence), F.secret as String?,
                    DeliveryBuildError.invalidLead("Momence requires an email; the lead has none")
                ),
                (F.lead, ["sourceId": .number(7)], F.secret, .configuration("Momence destination has no hostId in its config")),
                (
                    F.lead, ["hostId": .string("1"), "sourceId": .string("seven")], F.secret,
                    .configuration("Momence config sourceId must be an integer")
                ),
                (F.lead, F.defaultConfig(.momence), nil, .configuration("Momence destination has no credential (set one with --secret)")),
            ] as [(DeliveryLead, [String: JSONValue], String?, DeliveryBuildError)]
        )
        func cannotBeSent(lead: DeliveryLead, config: [String: JSONValue], secret: String?, expected: DeliveryBuildError) {
            #expect(throws: expected) {
                try DestinationRequestBuilder.build(lead: lead, destination: F.destination(.momence, config: config), secret: secret)
            }
        }
    }
}
