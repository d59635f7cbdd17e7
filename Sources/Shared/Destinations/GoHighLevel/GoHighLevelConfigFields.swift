/// The settings both GoHighLevel APIs read (see ``GHLContactRequest`` and ``GHLV1ContactRequest``).
enum GoHighLevelConfigFields {
    /// The contact settings: source, tags, custom and contact field maps.
    static let contact: [DestinationConfigField] = [
        DestinationConfigField("source", help: "The contact's source (default: the lead's source name)."),
        DestinationConfigField("tags", shape: .strings, help: "Tags for the contact; an upsert replaces the contact's tags."),
        DestinationConfigField(
            "custom_fields",
            "customFields",
            shape: .stringMap,
            help: #"{"<lead field or extra key>": "<custom field id>"}"#
        ),
        DestinationConfigField(
            "contact_fields",
            "contactFields",
            shape: .stringMap,
            help: #"{"<contact property>": "<lead field or extra key>"}, e.g. {"companyName": "company"}"#
        ),
    ]

    /// `contact_fields` names only contact properties GoHighLevel accepts.
    static func validateContactFields(_ config: [String: JSONValue], displayName: String) throws(DeliveryBuildError) {
        let reader = DestinationConfig(config, kindName: displayName)
        let properties = try reader.stringMap("contact_fields", "contactFields") ?? [:]
        for property in properties.keys.sorted() where !GoHighLevelAPI.mappableProperties.contains(property) {
            throw .configuration("\(displayName) config contact_fields.\(property) is not a contact property GoHighLevel accepts")
        }
    }
}
