import Foundation
import NIOHTTP1

/// Momence Customer Leads API: `POST {base}/integrations/customer-leads/{hostId}/collect` with
/// the host's token **in the body**. A lead without an email cannot be sent (permanent, no call).
///
/// Config: `hostId` (required), `sourceId` (integer lead-source id), `countryCode` (e.g. `us`),
/// `discovery_answer_field` (lead field or extra key for `discoveryAnswer`, default
/// `discovery_answer`), `discovery_answer` (a fixed answer when the lead has none).
enum MomenceLeadRequest {
    /// Momence's API base URL.
    static let defaultBaseURL = "https://api.momence.com"

    /// The request for `lead`; see the type's documentation for the config it reads.
    static func build(lead: DeliveryLead, destination: Destination, secret: String?) throws(DeliveryBuildError) -> DeliveryRequest {
        let config = DestinationConfig(destination, kindName: MomenceAdapter.name)
        let token = try DestinationRequestBuilder.requireSecret(secret, for: destination)
        let hostId = try config.requiredString("hostId", "host_id")
        guard let email = DestinationRequestBuilder.text(lead.email) else {
            throw .invalidLead("Momence requires an email; the lead has none")
        }
        var body: [String: JSONValue] = ["token": .string(token), "email": email]
        if let sourceId = try config.integer("sourceId", "source_id") { body["sourceId"] = .number(JSONNumber(sourceId)) }
        body["firstName"] = DestinationRequestBuilder.text(lead.firstName)
        body["lastName"] = DestinationRequestBuilder.text(lead.lastName)
        body["phoneNumber"] = DestinationRequestBuilder.text(lead.phone)
        body["zipCode"] = DestinationRequestBuilder.text(lead.postalCode)
        body["countryCode"] = DestinationRequestBuilder.text(try config.string("countryCode", "country_code")?.lowercased())
        let answerField = try config.string("discovery_answer_field", "discoveryAnswerField") ?? "discovery_answer"
        let fixedAnswer = try config.string("discovery_answer", "discoveryAnswer")
        let answer = lead.value(forField: answerField)?.scalarText ?? fixedAnswer
        body["discoveryAnswer"] = DestinationRequestBuilder.text(answer)
        let path = "/integrations/customer-leads/\(DestinationRequestBuilder.pathSegment(hostId))/collect"
        return DeliveryRequest(
            method: .POST,
            url: try DestinationRequestBuilder.endpoint(destination, defaultBase: defaultBaseURL, path: path),
            headers: DestinationRequestBuilder.jsonHeaders(),
            body: JSONBodyWriter.bytes(.object(body)),
            secret: token
        )
    }
}
