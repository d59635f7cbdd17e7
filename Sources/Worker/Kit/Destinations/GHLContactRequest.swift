import Foundation
import NIOHTTP1
import Shared

/// GoHighLevel API v2: `POST {base}/contacts/upsert` with a body holding only properties of the
/// published `UpsertContactDto` (unknown ones are answered 422 "property X should not exist").
///
/// Config: `locationId` (required), `source` (default: the lead's source name), `tags` (list;
/// upsert *replaces* the contact's tags), `country` (2 letters), `custom_fields`
/// (`{"<lead field or extra key>": "<GHL custom field id>"}`), `contact_fields`
/// (`{"<UpsertContactDto string property>": "<lead field or extra key>"}`, e.g. `{"companyName": "company"}`).
enum GHLContactRequest {
    /// The v2 API's base URL.
    static let defaultBaseURL = "https://services.leadconnectorhq.com"
    /// The `Version` header every v2 contacts call needs.
    static let apiVersion = "2021-07-28"
    /// String properties of `UpsertContactDto` that `contact_fields` may fill.
    static let mappableProperties: Set<String> = [
        "firstName", "lastName", "name", "email", "phone", "address1", "city", "state", "postalCode", "website",
        "timezone", "gender", "source", "country", "companyName", "assignedTo",
    ]

    /// The request for `lead`; see the type's documentation for the config it reads.
    static func build(lead: DeliveryLead, destination: Destination, secret: String?) throws(DeliveryBuildError) -> DeliveryRequest {
        let config = DestinationConfig(destination)
        let token = try DestinationRequestBuilder.requireSecret(secret, for: destination)
        let locationId = try config.requiredString("locationId", "location_id")
        var body: [String: JSONValue] = ["locationId": .string(locationId)]
        body["firstName"] = DestinationRequestBuilder.text(lead.firstName)
        body["lastName"] = DestinationRequestBuilder.text(lead.lastName)
        body["email"] = DestinationRequestBuilder.text(lead.email)
        body["phone"] = DestinationRequestBuilder.text(lead.phone)
        body["postalCode"] = DestinationRequestBuilder.text(lead.postalCode)
        body["source"] = DestinationRequestBuilder.text(try config.string("source") ?? lead.sourceName)
        body["country"] = DestinationRequestBuilder.text(try config.string("country"))
        let tags = try config.strings("tags")
        if !tags.isEmpty { body["tags"] = .array(tags.map(JSONValue.string)) }
        for (property, field) in try config.stringMap("contact_fields", "contactFields") ?? [:] {
            guard mappableProperties.contains(property) else {
                throw .configuration("GoHighLevel config contact_fields.\(property) is not a contact property GoHighLevel accepts")
            }
            if let value = lead.value(forField: field)?.scalarText { body[property] = .string(value) }
        }
        let customFields = try GHLCustomFields.values(for: lead, config: config)
        if !customFields.isEmpty {
            body["customFields"] = .array(customFields.map { .object(["id": .string($0.id), "field_value": $0.value]) })
        }
        var headers = DestinationRequestBuilder.jsonHeaders()
        headers.add(name: "Authorization", value: "Bearer \(token)")
        headers.add(name: "Version", value: apiVersion)
        return DeliveryRequest(
            method: .POST, url: try DestinationRequestBuilder.endpoint(destination, defaultBase: defaultBaseURL, path: "/contacts/upsert"),
            headers: headers, body: JSONBodyWriter.bytes(.object(body)), secret: token)
    }
}
