import Foundation
import NIOHTTP1

/// GoHighLevel API v2: `POST {base}/contacts/upsert` with a body holding only properties of the
/// published `UpsertContactDto` (unknown ones are answered 422 "property X should not exist").
///
/// Config: `locationId` (required), `source` (default: the lead's source name), `tags` (list;
/// upsert *replaces* the contact's tags), `country` (2 letters), `custom_fields`
/// (`{"<lead field or extra key>": "<GHL custom field id>"}`), `contact_fields`
/// (`{"<UpsertContactDto string property>": "<lead field or extra key>"}`, e.g. `{"companyName": "company"}`).
enum GHLContactRequest {
    /// The request for `lead`; see the type's documentation for the config it reads.
    static func build(lead: DeliveryLead, destination: Destination, secret: String?) throws(DeliveryBuildError) -> DeliveryRequest {
        let config = DestinationConfig(destination, kindName: GoHighLevelAPI.v2.displayName)
        let token = try DestinationRequestBuilder.requireSecret(secret, for: destination)
        let locationId = try config.requiredString("locationId", "location_id")
        var body = try GHLContactBody.properties(of: lead, config: config, api: .v2)
        body["locationId"] = .string(locationId)
        let customFields = try GHLCustomFields.values(for: lead, config: config)
        if !customFields.isEmpty {
            body["customFields"] = .array(customFields.map { .object(["id": .string($0.id), "field_value": $0.value]) })
        }
        var headers = DestinationRequestBuilder.jsonHeaders()
        headers.add(name: "Authorization", value: "Bearer \(token)")
        headers.add(name: "Version", value: GoHighLevelAPI.versionHeader)
        return DeliveryRequest(
            method: .POST,
            url: try DestinationRequestBuilder.endpoint(destination, defaultBase: GoHighLevelAPI.v2.defaultBaseURL, path: "/contacts/upsert"),
            headers: headers,
            body: JSONBodyWriter.bytes(.object(body)),
            secret: token
        )
    }
}
