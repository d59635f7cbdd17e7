import Foundation
import NIOHTTP1
import Shared

/// GoHighLevel API v1 (end of life, still used by older accounts): `POST {base}/v1/contacts/`
/// with the location API key as bearer token; no `Version`, no `locationId`; email or phone
/// required; custom fields as a map `{"customField": {"<id>": value}}`.
///
/// Config: `source`, `tags`, `custom_fields`, `contact_fields` as for ``GHLContactRequest``.
enum GHLV1ContactRequest {
    /// The v1 API's base URL.
    static let defaultBaseURL = "https://rest.gohighlevel.com"

    /// The request for `lead`; see the type's documentation for the config it reads.
    static func build(lead: DeliveryLead, destination: Destination, secret: String?) throws(DeliveryBuildError) -> DeliveryRequest {
        let config = DestinationConfig(destination)
        let apiKey = try DestinationRequestBuilder.requireSecret(secret, for: destination)
        guard lead.email != nil || lead.phone != nil else {
            throw .invalidLead("GoHighLevel v1 requires an email or a valid phone; the lead has neither")
        }
        var body: [String: JSONValue] = [:]
        body["firstName"] = DestinationRequestBuilder.text(lead.firstName)
        body["lastName"] = DestinationRequestBuilder.text(lead.lastName)
        body["email"] = DestinationRequestBuilder.text(lead.email)
        body["phone"] = DestinationRequestBuilder.text(lead.phone)
        body["postalCode"] = DestinationRequestBuilder.text(lead.postalCode)
        body["source"] = DestinationRequestBuilder.text(try config.string("source") ?? lead.sourceName)
        let tags = try config.strings("tags")
        if !tags.isEmpty { body["tags"] = .array(tags.map(JSONValue.string)) }
        for (property, field) in try config.stringMap("contact_fields", "contactFields") ?? [:] {
            guard GHLContactRequest.mappableProperties.contains(property) else {
                throw .configuration("GoHighLevel v1 config contact_fields.\(property) is not a contact property GoHighLevel accepts")
            }
            if let value = lead.value(forField: field)?.scalarText { body[property] = .string(value) }
        }
        let customFields = try GHLCustomFields.values(for: lead, config: config)
        if !customFields.isEmpty {
            body["customField"] = .object(Dictionary(customFields.map { ($0.id, $0.value) }) { first, _ in first })
        }
        var headers = DestinationRequestBuilder.jsonHeaders()
        headers.add(name: "Authorization", value: "Bearer \(apiKey)")
        return DeliveryRequest(
            method: .POST, url: try DestinationRequestBuilder.endpoint(destination, defaultBase: defaultBaseURL, path: "/v1/contacts/"),
            headers: headers, body: JSONBodyWriter.bytes(.object(body)), secret: apiKey)
    }
}
