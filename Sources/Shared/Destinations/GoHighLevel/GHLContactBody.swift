/// The contact properties both GoHighLevel APIs take from a lead and the destination's config:
/// names, email, phone, postal code, `source`, `country` (v2 only), `tags` and `contact_fields`.
enum GHLContactBody {
    /// The properties of `lead` for `api`; absent values are left out.
    static func properties(
        of lead: DeliveryLead,
        config: DestinationConfig,
        api: GoHighLevelAPI
    ) throws(DeliveryBuildError)
        -> [String: JSONValue]
    {
        var body: [String: JSONValue] = [:]
        body["firstName"] = DestinationRequestBuilder.text(lead.firstName)
        body["lastName"] = DestinationRequestBuilder.text(lead.lastName)
        body["email"] = DestinationRequestBuilder.text(lead.email)
        body["phone"] = DestinationRequestBuilder.text(lead.phone)
        body["postalCode"] = DestinationRequestBuilder.text(lead.postalCode)
        body["source"] = DestinationRequestBuilder.text(try config.string("source") ?? lead.sourceName)
        if api == .v2 { body["country"] = DestinationRequestBuilder.text(try config.string("country")) }
        let tags = try config.strings("tags")
        if !tags.isEmpty { body["tags"] = .array(tags.map(JSONValue.string)) }
        for (property, field) in try config.stringMap("contact_fields", "contactFields") ?? [:] {
            guard GoHighLevelAPI.mappableProperties.contains(property) else {
                throw .configuration("\(api.displayName) config contact_fields.\(property) is not a contact property GoHighLevel accepts")
            }
            if let value = lead.value(forField: field)?.scalarText { body[property] = .string(value) }
        }
        return body
    }
}
