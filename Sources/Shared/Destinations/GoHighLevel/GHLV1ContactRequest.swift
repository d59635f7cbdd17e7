import Foundation
import NIOHTTP1

/// GoHighLevel API v1 (end of life, still used by older accounts): `POST {base}/v1/contacts/`
/// with the location API key as bearer token; no `Version`, no `locationId`; email or phone
/// required; custom fields as a map `{"customField": {"<id>": value}}`.
///
/// Config: `source`, `tags`, `custom_fields`, `contact_fields` as for ``GHLContactRequest``.
enum GHLV1ContactRequest {
    /// The request for `lead`; see the type's documentation for the config it reads.
    static func build(lead: DeliveryLead, destination: Destination, secret: String?) throws(DeliveryBuildError) -> DeliveryRequest {
        let config = DestinationConfig(destination, kindName: GoHighLevelAPI.v1.displayName)
        let apiKey = try DestinationRequestBuilder.requireSecret(secret, for: destination)
        guard lead.email != nil || lead.phone != nil else {
            throw .invalidLead("GoHighLevel v1 requires an email or a valid phone; the lead has neither")
        }
        var body = try GHLContactBody.properties(of: lead, config: config, api: .v1)
        let customFields = try GHLCustomFields.values(for: lead, config: config)
        if !customFields.isEmpty {
            body["customField"] = .object(Dictionary(customFields.map { ($0.id, $0.value) }) { first, _ in first })
        }
        var headers = DestinationRequestBuilder.jsonHeaders()
        headers.add(name: "Authorization", value: "Bearer \(apiKey)")
        return DeliveryRequest(
            method: .POST,
            url: try DestinationRequestBuilder.endpoint(destination, defaultBase: GoHighLevelAPI.v1.defaultBaseURL, path: "/v1/contacts/"),
            headers: headers,
            body: JSONBodyWriter.bytes(.object(body)),
            secret: apiKey
        )
    }
}
