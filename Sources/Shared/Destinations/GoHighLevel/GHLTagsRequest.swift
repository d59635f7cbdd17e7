import Foundation
import NIOHTTP1

/// GoHighLevel API v2 tags (``GHLTagsAdapter``): `POST {base}/contacts/upsert` with only
/// `locationId`, `email` and `phone` (matched by the location's duplicate setting; a contact that
/// does not exist yet is created with just those, and no other property of an existing one is
/// touched), then, with the `contact.id` it answers, `POST {base}/contacts/{id}/tags` with
/// `{"tags": […]}`, which adds to the contact's tags (an upsert with `tags` would replace them).
///
/// Each configured tag is a message template rendered for the lead (``MessageTemplate``:
/// `leadrelay-{{source_name}}`), trimmed; empty and repeated tags are left out. Tags are sent
/// byte for byte (Hebrew is fine).
enum GHLTagsRequest {
    /// The upsert, carrying the tags call as its follow-up; see the type's documentation.
    static func build(lead: DeliveryLead, destination: Destination, secret: String?) throws(DeliveryBuildError) -> DeliveryRequest {
        let config = DestinationConfig(destination, kindName: GHLTagsAdapter.name)
        let token = try DestinationRequestBuilder.requireSecret(secret, for: destination)
        let locationId = try config.requiredString("locationId", "location_id")
        let tags = try tags(for: lead, config: config)
        guard lead.email != nil || lead.phone != nil else {
            throw .invalidLead("GoHighLevel tags need the lead's email or phone to find its contact; the lead has neither")
        }
        var identity: [String: JSONValue] = ["locationId": .string(locationId)]
        identity["email"] = DestinationRequestBuilder.text(lead.email)
        identity["phone"] = DestinationRequestBuilder.text(lead.phone)
        let contacts = try DestinationRequestBuilder.endpoint(destination, defaultBase: GoHighLevelAPI.v2.defaultBaseURL, path: "/contacts/")
        var upsert = DeliveryRequest(
            method: .POST,
            url: contacts + "upsert",
            headers: headers(token: token),
            body: JSONBodyWriter.bytes(.object(identity)),
            secret: token
        )
        let tagsBody = JSONBodyWriter.bytes(.object(["tags": .array(tags.map(JSONValue.string))]))
        upsert.followUp = DeliveryFollowUp { answer in
            guard (200...299).contains(answer.status) else { return .classifyFirst }
            guard let id = contactId(in: answer) else {
                return .unexpected(reason: "GoHighLevel answered the upsert (HTTP \(answer.status)) without the contact's id")
            }
            let addTags = DeliveryRequest(
                method: .POST,
                url: contacts + DestinationRequestBuilder.pathSegment(id) + "/tags",
                headers: headers(token: token),
                body: tagsBody,
                secret: token
            )
            return .call(addTags, externalId: id)
        }
        return upsert
    }

    /// The tags for `lead`: each configured template rendered, trimmed, empty and repeated ones left out.
    ///
    /// - Throws: `configuration` without tags, `invalidLead` when every tag renders empty.
    static func tags(for lead: DeliveryLead, config: DestinationConfig) throws(DeliveryBuildError) -> [String] {
        let templates = try config.strings("tags")
        guard !templates.isEmpty else { throw .configuration("\(GHLTagsAdapter.name) destination has no tags in its config") }
        var tags: [String] = []
        for (index, template) in templates.enumerated() {
            let tag = try MessageRecipient.render(template, field: "tags[\(index)]", lead: lead)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            if !tag.isEmpty && !tags.contains(tag) { tags.append(tag) }
        }
        guard !tags.isEmpty else { throw .invalidLead("every GoHighLevel tag renders empty for this lead") }
        return tags
    }

    /// The checks beyond field shapes (``GHLTagsAdapter/validate(config:)``).
    static func validate(_ config: DestinationConfig) throws(DeliveryBuildError) {
        _ = try config.requiredString("locationId", "location_id")
        let templates = try config.strings("tags")
        guard !templates.isEmpty else { throw .configuration("\(GHLTagsAdapter.name) destination has no tags in its config") }
        for (index, template) in templates.enumerated() {
            guard !template.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw .configuration("\(GHLTagsAdapter.name) config tags[\(index)] is empty")
            }
            guard !template.contains(where: \.isNewline) else {
                throw .configuration("\(GHLTagsAdapter.name) config tags[\(index)] must be one line")
            }
            try MessageRecipient.validateTemplate(template, field: "tags[\(index)]")
        }
    }

    /// Whether a failed tags call says the contact does not exist: 404, or 400/422 saying "not found".
    static func meansNoContact(_ response: DeliveryResponse) -> Bool {
        switch response.status {
        case 404: true
        case 400, 422: String(decoding: response.body, as: UTF8.self).lowercased().contains("not found")
        default: false
        }
    }

    /// `contact.id` of an upsert's answer; nil when absent or empty.
    static func contactId(in answer: DeliveryResponse) -> String? {
        guard let json = DeliveryClassifier.parseJSON(answer.body),
            let id = JSONPath.value(in: json, at: "contact.id")?.scalarText?.trimmingCharacters(in: .whitespaces), !id.isEmpty
        else { return nil }
        return id
    }

    /// JSON headers, the bearer token and the `Version` every contacts call needs.
    static func headers(token: String) -> HTTPHeaders {
        var headers = DestinationRequestBuilder.jsonHeaders()
        headers.add(name: "Authorization", value: "Bearer \(token)")
        headers.add(name: "Version", value: GoHighLevelAPI.versionHeader)
        return headers
    }
}
